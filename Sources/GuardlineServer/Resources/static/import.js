// Puts the chosen CSV file into the import form as base64, so the server hashes the
// file's own bytes (a textarea would have its line ends rewritten on the way).
const file = document.getElementById("csv-file");
if (file) {
  file.addEventListener("change", async () => {
    const bytes = document.getElementById("csv-bytes");
    const pasted = document.getElementById("csv-text");
    const chosen = file.files[0];
    if (!chosen) {
      bytes.value = "";
      pasted.required = true;
      return;
    }
    const data = new Uint8Array(await chosen.arrayBuffer());
    let binary = "";
    for (let start = 0; start < data.length; start += 0x8000) {
      binary += String.fromCharCode(...data.subarray(start, start + 0x8000));
    }
    bytes.value = btoa(binary);
    pasted.required = false;
  });
}
