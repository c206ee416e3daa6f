"""Presidio's pattern recognizers on Guardline's redaction corpus, for the side-by-side
figures of `Benchmarks/run` (issue 11: the redactor at least 10 times Presidio's
characters per second, with higher recall and precision).

Presidio runs without a downloaded language model: a blank spaCy pipeline, and the
pattern (and check-digit) recognizers for the kinds Guardline redacts: cards, IBANs,
emails, phones (PT, ES, FR, DE, IT, GB), ES NIF/NIE, IT codice fiscale, UK NINO and
the German tax id. It has none for security codes, the PT NIF or the FR NIR.

Scored as Guardline's `RedactionScore`: recall is the share of labeled values wholly
covered by findings, precision the share of findings that touch a labeled value.

    python3 -m pip install presidio-analyzer     # once (it brings spaCy)
    python3 Benchmarks/presidio.py RESULTS_DIR
"""

import json
import sys
import time
from pathlib import Path

import spacy
import tldextract
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (CreditCardRecognizer, DeTaxIdRecognizer, EmailRecognizer,
                                                      EsNieRecognizer, EsNifRecognizer, IbanRecognizer,
                                                      ItFiscalCodeRecognizer, PhoneRecognizer, UkNinoRecognizer)

COPIES = 20

# The email recognizer checks domains against the public suffix list; offline, use the copy tldextract ships.
tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class BlankSpacy(SpacyNlpEngine):
    """A spaCy engine with no model: tokens only, no named entities."""

    def __init__(self):
        super().__init__(models=[{"lang_code": "en", "model_name": "blank"}])

    def load(self):
        self.nlp = {"en": spacy.blank("en")}


def analyzer():
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in [CreditCardRecognizer(), IbanRecognizer(), EmailRecognizer(),
                       PhoneRecognizer(supported_regions=("PT", "ES", "FR", "DE", "IT", "GB")),
                       EsNifRecognizer(supported_language="en"), EsNieRecognizer(supported_language="en"),
                       ItFiscalCodeRecognizer(supported_language="en"), UkNinoRecognizer(supported_language="en"),
                       DeTaxIdRecognizer(supported_language="en")]:
        registry.add_recognizer(recognizer)
    engine = BlankSpacy()
    engine.load()
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])


def main():
    results = Path(sys.argv[1])
    root = Path(__file__).resolve().parent.parent
    samples = [json.loads(line) for name in ("corpus.jsonl", "heldout.jsonl")
               for line in (root / "Tests/RedactionCorpus" / name).read_text().splitlines() if line]
    texts = ["\n".join(sample["turns"]) for sample in samples]
    engine = analyzer()

    # Recall is also given over the kinds Presidio has recognizers for in every language here
    # (cards, IBANs, emails, phones), so that what it cannot do is not all it is measured on.
    covered_kinds = {"cardNumber", "iban", "email", "phone"}
    labeled = covered = found = relevant = labeled_own = covered_own = 0
    for sample, text in zip(samples, texts):
        findings = [(r.start, r.end) for r in engine.analyze(text=text, language="en")]
        spans = []
        for entity in sample["entities"]:
            start = text.find(entity["text"])
            if start < 0:
                continue
            span = range(start, start + len(entity["text"]))
            spans.append(span)
            labeled += 1
            hit = all(any(s <= i < e for s, e in findings) for i in span)
            covered += hit
            if entity["kind"] in covered_kinds:
                labeled_own += 1
                covered_own += hit
        for s, e in findings:
            found += 1
            if any(s < span.stop and span.start < e for span in spans):
                relevant += 1
    recall = covered / labeled if labeled else 1
    precision = relevant / found if found else 1

    size = sum(len(text.encode()) for text in texts)
    began = time.perf_counter()
    for _ in range(COPIES):
        for text in texts:
            engine.analyze(text=text, language="en")
    seconds = time.perf_counter() - began
    notes = (f"Presidio pattern recognizers, blank spaCy pipeline; {len(samples)} samples, {size} bytes x {COPIES}; "
             f"recall {recall:.3f}, precision {precision:.3f} ({labeled} values); "
             f"recall on cards, IBANs, emails and phones only {covered_own / labeled_own:.3f} ({labeled_own} values)")
    line = "\t".join(["PresidioPatterns", "bytes", str(size * COPIES), f"{seconds:.3f}", f"{size * COPIES / seconds:.0f}",
                      f"{seconds / COPIES * 1e6:.0f}", "-", "-", "-", notes])
    results.mkdir(parents=True, exist_ok=True)
    (results / "PresidioPatterns.tsv").write_text(line + "\n")
    print(notes)


if __name__ == "__main__":
    main()
