"""The multilingual model check in docs/operations.md (Languages: measured): detection, WER and translation on espeak-ng speech.

Usage: python bench/multilingual.py /path/to/whisper-base   (one thread; writes bench/results/multilingual.json)
"""

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jiwer
from faster_whisper import WhisperModel

SENTENCES = {
    "de": [
        "Der Zug nach Berlin fährt heute um acht Uhr ab.",
        "Meine Schwester wohnt seit zwei Jahren in einer kleinen Wohnung.",
        "Wir treffen uns morgen früh vor dem Rathaus.",
        "Das Wetter ist heute kalt und es regnet den ganzen Tag.",
    ],
    "fr": [
        "Le train pour Paris part ce soir à huit heures.",
        "Ma sœur habite depuis deux ans dans un petit appartement.",
        "Nous nous retrouvons demain matin devant la mairie.",
        "Il fait froid aujourd'hui et il pleut toute la journée.",
    ],
    "es": [
        "El tren para Madrid sale esta noche a las ocho.",
        "Mi hermana vive desde hace dos años en un piso pequeño.",
        "Nos vemos mañana por la mañana delante del ayuntamiento.",
        "Hoy hace frío y llueve todo el día.",
    ],
    "en": [
        "The train to London leaves tonight at eight o'clock.",
        "My sister has lived in a small flat for two years.",
    ],
}


def norm(t):
    return " ".join(re.sub(r"[^\w' ]", " ", t.lower()).split())


def speak(text, lang, i):
    out = AUDIO / f"{lang}{i}.wav"
    raw = out.with_suffix(".raw.wav")
    if not out.exists():
        subprocess.run(["espeak-ng", "-v", lang, "-s", "140", "-w", str(raw), text], check=True)
        subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True)
        raw.unlink()
    return out


AUDIO = Path(tempfile.mkdtemp(prefix="multilingual-"))
path = sys.argv[1]
t = time.time()
m = WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=1)
load = time.time() - t
print("load", round(load, 2), "multilingual", m.model.is_multilingual, flush=True)
res = {}
for lang, sents in SENTENCES.items():
    refs, hyps, detected, probs, audio_s, cpu = [], [], [], [], 0, 0
    for i, s in enumerate(sents):
        wav = speak(s, lang, i)
        t = time.time()
        segs, info = m.transcribe(str(wav), language=None, beam_size=5, vad_filter=True)
        text = " ".join(x.text for x in segs)
        cpu += time.time() - t
        audio_s += info.duration
        refs.append(norm(s))
        hyps.append(norm(text))
        detected.append(info.language)
        probs.append(round(info.language_probability, 2))
        print(lang, i, info.language, round(info.language_probability, 2), "|", text.strip(), flush=True)
    r = {
        "detected": detected,
        "probs": probs,
        "wer_auto": round(jiwer.wer(refs, hyps), 3),
        "rtf": round(cpu / audio_s, 2),
    }
    if lang != "en":
        hyps2 = []
        for i, s in enumerate(sents):
            segs, info = m.transcribe(str(speak(s, lang, i)), language=lang, beam_size=5, vad_filter=True)
            hyps2.append(norm(" ".join(x.text for x in segs)))
        r["wer_forced"] = round(jiwer.wer(refs, hyps2), 3)
        segs, info = m.transcribe(
            str(speak(sents[0], lang, 0)), task="translate", beam_size=5, vad_filter=True
        )
        r["translate0"] = " ".join(x.text for x in segs).strip()
    res[lang] = r
    print(lang, r, flush=True)
(Path(__file__).parent / "results" / "multilingual.json").write_text(
    json.dumps(res, indent=1, ensure_ascii=False), encoding="utf-8"
)
