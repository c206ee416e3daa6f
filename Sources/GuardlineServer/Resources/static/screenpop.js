// Live screen pop: the server sends each call handed to this agent, already filtered by
// their access profile; it is put in place with textContent, never parsed as HTML.
(function () {
  "use strict";
  var pops = document.getElementById("pops");
  var status = document.getElementById("pop-status");
  if (!pops || !window.EventSource) { return; }
  var source = new EventSource("/desk/events");
  source.addEventListener("open", function () { status.textContent = "Connected: calls answered at your phone appear here."; });
  source.addEventListener("error", function () { status.textContent = "Reconnecting…"; });
  source.addEventListener("pop", function (message) {
    var pop;
    try { pop = JSON.parse(message.data); } catch (e) { return; }
    var card = document.createElement("article");
    card.className = "contact-card pop";
    card.setAttribute("data-interaction-id", pop.interactionId);
    if (pop.contactId) { card.setAttribute("data-contact-id", pop.contactId); }
    var header = document.createElement("header");
    var link = document.createElement("a");
    link.href = pop.link;
    link.className = "reference";
    link.textContent = pop.contactId ? (pop.reference || "Contact") : "New caller: add a contact";
    header.appendChild(link);
    var note = document.createElement("small");
    note.textContent = " " + pop.event + (pop.queue ? " · queue " + pop.queue : "");
    header.appendChild(note);
    card.appendChild(header);
    var list = document.createElement("dl");
    (pop.fields || []).forEach(function (field) {
      var row = document.createElement("div");
      row.className = "field";
      var term = document.createElement("dt");
      term.textContent = field.label;
      var value = document.createElement("dd");
      value.textContent = field.value;
      if (field.masked) { value.className = "masked"; }
      row.appendChild(term);
      row.appendChild(value);
      list.appendChild(row);
    });
    if (!pop.contactId && pop.caller) {
      var callerRow = document.createElement("div");
      callerRow.className = "field";
      var callerTerm = document.createElement("dt");
      callerTerm.textContent = "Calling from";
      var callerValue = document.createElement("dd");
      callerValue.textContent = pop.caller;
      callerRow.appendChild(callerTerm);
      callerRow.appendChild(callerValue);
      list.appendChild(callerRow);
    }
    card.appendChild(list);
    pops.insertBefore(card, pops.firstChild);
  });
})();
