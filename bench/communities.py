"""Communities the learning is judged on (issue 20): terms, what members say, and everyday speech that sounds
like the terms, spoken in several espeak-ng voices, speeds and noise levels.

Every community has 24 training sentences (what members correct), 12 unseen sentences (the same terms, never
trained on) and 12 sound-alike sentences: everyday speech that sounds like the terms but contains none of
them ("We saw a llama at the petting zoo" for Ollama). A server's captions of those must stay close to how
the base hears them.

Roles: every community in this module is a tuning set: the recipe was tuned on the coined-word scenario and
on the jargon terms PyTorch ... Trello, and "names" and "fantasy", written as acceptance sets, chose the
serving threshold of issue 20 (combine.TERM_CONFIDENCE) and the prompt-loop rule's evidence, so they are
tuning sets now. The acceptance communities, written after that, are in bench/acceptance_communities.py,
spoken in a voice mix of their own ("acceptance").

Voices: training clips and unseen clips come from different voice mixes (other espeak-ng voices and
variants, speeds 140-190 words/minute, pink noise at 10-20 dB SNR on some clips), so unseen clips are new
speakers too. Each clip's voice is a deterministic function of (mix, seed, clip index). MBROLA voices
(mb-us1 ...) were not installable here (no mbrola package in this machine's apt sources): noted, not used.

    PYTHONPATH=$PWD .venv/bin/python -m bench.communities   # speaks every clip once (cached), prints a summary
"""

from __future__ import annotations

import hashlib
import random
import re
import subprocess
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from bench.common import DATA_DIR
from bench.scenario import SCENARIO

Role = Literal["tuning", "acceptance"]
Part = Literal["training", "unseen", "soundalike"]
Mix = Literal[
    "training",
    "unseen",
    "acceptance",
    "acceptance2",
    "acceptance3",
    "acceptance4",
    "acceptance5",
    "acceptance6",
    "acceptance7",
    "acceptance8",
    "acceptance9",
    "acceptance10",
    "acceptance11",
    "acceptance12",
    "acceptance13",
    "acceptance14",
    "quick",
]

SPEECH = DATA_DIR / "communities"  # generated audio (gitignored), one file per text and voice


@dataclass(frozen=True)
class Community:
    """A server's terms, the sentences its members correct, unseen sentences and everyday sound-alikes."""

    name: str
    role: Role
    kind: str  # "coined", "jargon", "fantasy"
    terms: tuple[str, ...]
    training: tuple[str, ...]  # 24 sentences with terms, corrected by members
    unseen: tuple[str, ...]  # 12 sentences with terms, never trained on
    soundalikes: tuple[str, ...]  # 12 everyday sentences that sound like terms and contain none
    held_out_voices: Mix = "unseen"  # the voice mix of its unseen and sound-alike clips

    def sentences(self, part: Part) -> tuple[str, ...]:
        return {"training": self.training, "unseen": self.unseen, "soundalike": self.soundalikes}[part]


# --- (a) coined words: the scenario every earlier bench used (tuning) --------------------------------------

COINED = Community(
    "coined",
    "tuning",
    "coined",
    tuple(SCENARIO.terms),
    tuple(SCENARIO.training[:24]),
    tuple(SCENARIO.held_out[:12]),
    (
        "My sore back kept me awake all night.",
        "The movers had sore backs after the long day.",
        "She read the whole novel on her Kindle during the flight.",
        "Light the candle on the kitchen table.",
        "He finished the marathon in under four hours.",
        "The city marathon closes the bridge on Sunday.",
        "There was a glimmer of hope after the rain.",
        "The grim raid on the castle failed at dawn.",
        "Doctors treat sore backs with gentle exercise.",
        "Kindle the fire with dry twigs and paper.",
        "Marvin ran a marathon for charity last spring.",
        "A glimmer of light came through the grey clouds.",
    ),
)

# --- (b) jargon the base half-knows, the terms the lead tuned on (tuning) ----------------------------------

JARGON_TUNING = Community(
    "jargon",
    "tuning",
    "jargon",
    (
        "PyTorch",
        "Hugging Face",
        "LangChain",
        "Kubernetes",
        "Grafana",
        "Postgres",
        "Terraform",
        "Figma",
        "Ollama",
        "DeepSeek",
        "Trello",
    ),
    (
        "I trained the new model with PyTorch last night.",
        "Download the weights from Hugging Face before the meeting.",
        "The LangChain agent keeps calling the wrong tool.",
        "Our Kubernetes cluster ran out of memory again.",
        "Check the Grafana dashboard when the alerts fire.",
        "The Postgres backup finished at three in the morning.",
        "Terraform destroyed the staging network by mistake.",
        "She shared the Figma mockups in the design channel.",
        "Ollama runs the small model on my laptop.",
        "DeepSeek released a new reasoning model this week.",
        "Move the ticket to the done column in Trello.",
        "PyTorch and Hugging Face work well together.",
        "The Kubernetes pods restart whenever Postgres is slow.",
        "Add a Grafana panel for the Terraform runs.",
        "Figma comments are easier to track than Trello cards.",
        "Can Ollama serve the DeepSeek model locally?",
        "LangChain wraps the Hugging Face pipeline for us.",
        "Upgrade PyTorch before you rebuild the image.",
        "The Postgres query took ten seconds on Friday.",
        "Terraform plans the changes before it applies them.",
        "The Trello board for the launch is getting long.",
        "Grafana shows the Kubernetes node pressure clearly.",
        "I exported the Figma frames for the website.",
        "DeepSeek and Ollama both handle long prompts.",
    ),
    (
        "Who broke the Kubernetes ingress this morning?",
        "The Grafana alerts woke me up twice.",
        "Postgres needs a vacuum after the big import.",
        "The Terraform state file is locked again.",
        "Ask the designer to update the Figma file.",
        "Ollama pulled the model in under a minute.",
        "DeepSeek answered the maths question correctly.",
        "Put the bug report on the Trello board.",
        "The PyTorch build failed on the old server.",
        "I found that dataset on Hugging Face yesterday.",
        "LangChain added a new memory class.",
        "Grafana and Postgres are both running on the same host.",
    ),
    (
        "We saw a llama at the petting zoo.",
        "The deep sea divers found the wreck after three weeks.",
        "The roses climbed up the trellis in the garden.",
        "She practised the cello every evening.",
        "It was only a figment of your imagination.",
        "The postgrads met in the library after lunch.",
        "The sailors were glad to be back on terra firma.",
        "The dog pulled hard on its long chain.",
        "Stop hugging the fence and come inside.",
        "We carried a pine torch through the dark cave.",
        "She eats granola with yoghurt every morning.",
        "Cooper and Nettie's bakery sells fresh bread.",
    ),
)

# --- (b') other jargon, places and people the base half-knows (acceptance: nothing tuned on it) -----------

JARGON_ACCEPTANCE = Community(  # written as acceptance; tuning since it chose TERM_CONFIDENCE
    "names",
    "tuning",
    "jargon",
    (
        "Nginx",
        "Jupyter",
        "Redis",
        "Vercel",
        "Supabase",
        "Tailscale",
        "Leicester",
        "Worcester",
        "Niamh",
        "Siobhan",
    ),
    (
        "Restart Nginx after you change the config.",
        "Open the notebook in Jupyter and run every cell.",
        "Redis keeps the session tokens in memory.",
        "The preview site is deployed on Vercel.",
        "Supabase handles the login for the mobile app.",
        "Tailscale connects my laptop to the home server.",
        "The conference is in Leicester next spring.",
        "Niamh is presenting the quarterly numbers.",
        "Siobhan fixed the flaky test on Tuesday.",
        "Our new office is just outside Worcester.",
        "Nginx returns a bad gateway when Redis is down.",
        "Niamh deployed the landing page to Vercel.",
        "Siobhan moved the database to Supabase.",
        "The Jupyter server needs more memory.",
        "Tailscale lets Niamh reach the test machines.",
        "Siobhan drove from Leicester to Worcester for the workshop.",
        "Clear the Redis cache before the demo.",
        "The Vercel build logs show a missing package.",
        "Supabase sent an email about the new pricing.",
        "Put the Nginx logs in the shared folder.",
        "Niamh shared a Jupyter notebook with the charts.",
        "The Tailscale key expires at the end of the month.",
        "Siobhan lives in Worcester with her two dogs.",
        "The Leicester team uses Redis for their queue.",
    ),
    (
        "Can someone check why Nginx is so slow today?",
        "Niamh will review the pull request tonight.",
        "The Jupyter kernel crashed in the middle of training.",
        "Redis ran out of memory during the sale.",
        "Siobhan booked the meeting room for Thursday.",
        "The train to Leicester was cancelled again.",
        "Vercel rolled back the broken deployment.",
        "Supabase storage is almost full.",
        "Install Tailscale on the new router.",
        "The Worcester office closes early on Friday.",
        "Siobhan and Niamh are giving the keynote.",
        "Nginx forwards the requests to the Jupyter server.",
    ),
    (
        "We watched Jupiter through the telescope last night.",
        "Slice the radish thinly for the salad.",
        "Put the red dish back in the cupboard.",
        "The vessel left the harbour before dawn.",
        "We ate soup at the base camp before the climb.",
        "The lizard has a scaly tail and tiny claws.",
        "My uncle Lester repairs old clocks.",
        "The rooster woke up the whole farm.",
        "He is so naive about money.",
        "The chevron on his sleeve shows his rank.",
        "The engine makes a clicking noise on cold mornings.",
        "The supper was basic but warm.",
    ),
)

# --- (c) a fantasy game community: invented names and game jargon (acceptance) ----------------------------

FANTASY_ACCEPTANCE = Community(  # written as acceptance; tuning since it chose TERM_CONFIDENCE
    "fantasy",
    "tuning",
    "fantasy",
    ("Vaelith", "Skarnhold", "Duskmire", "Orrinthal", "Kessrin", "Brannoc", "respec", "aggro"),
    (
        "Vaelith cast a shield over the whole party.",
        "We camped outside the walls of Skarnhold.",
        "The Duskmire swamp is full of poison frogs.",
        "Orrinthal sells the best swords in the capital.",
        "Kessrin stole the map from the guard captain.",
        "Brannoc the dwarf refuses to leave the mine.",
        "I need to respec my ranger before the raid.",
        "The tank lost aggro and the healer died.",
        "Vaelith and Kessrin argued about the prophecy.",
        "The road to Skarnhold is blocked by snow.",
        "Hold aggro on the big troll while we burn it down.",
        "A respec costs fifty gold at the temple.",
        "Brannoc forged a new axe for Orrinthal.",
        "The Duskmire witch only trades at midnight.",
        "Kessrin picked the lock on the treasure room.",
        "Orrinthal has a tower on the edge of Duskmire.",
        "Vaelith learned the fire spell after the respec.",
        "Pull aggro away from the mages.",
        "Skarnhold fell when the gates were opened from inside.",
        "Brannoc and Vaelith guard the northern pass.",
        "Nobody trusts Kessrin after the last heist.",
        "The Orrinthal quest line takes three hours.",
        "Too much damage early draws aggro from the boss.",
        "The Duskmire bridge collapses if you run.",
    ),
    (
        "Where did Vaelith hide the crystal?",
        "The Skarnhold siege lasted seven days.",
        "Don't stand in the Duskmire fog for too long.",
        "Orrinthal offered us a reward for the dragon egg.",
        "Kessrin is waiting for us at the inn.",
        "Brannoc found silver in the deep tunnels.",
        "Should I respec into healing for the dungeon?",
        "The archer keeps pulling aggro on every fight.",
        "Vaelith warned the king about Skarnhold.",
        "Brannoc carried Kessrin back to the camp.",
        "Orrinthal sealed the gate to Duskmire.",
        "After the respec my paladin finally holds aggro.",
    ),
    (
        "She wore a veil with tiny pearls.",
        "He had a scar on his old hand.",
        "At dusk the mire was full of frogs.",
        "The orange hall was painted last summer.",
        "A kestrel hovered above the field.",
        "She baked a bannock for breakfast.",
        "Show some respect to your teachers.",
        "A crow stole bread from the picnic.",
        "The mist rolled over the mire at dusk.",
        "The kestrel nested in the old church tower.",
        "He has great respect for his grandmother.",
        "Agra is famous for its white marble tomb.",
    ),
)

COMMUNITIES: dict[str, Community] = {  # tuning sets, all of them (see the module docstring)
    c.name: c for c in (COINED, JARGON_TUNING, JARGON_ACCEPTANCE, FANTASY_ACCEPTANCE)
}


# --- terms in text ----------------------------------------------------------------------------------------


def letters(text: str) -> str:
    """Lowercase letters and single spaces: apostrophes vanish ("PyTorch's" -> "pytorchs"), the rest splits."""
    return " ".join(re.sub(r"[^a-z]+", " ", text.lower().replace("'", "").replace("\u2019", "")).split())


def _term_regex(term: str) -> re.Pattern[str]:
    """A term as whole words, case-insensitive, letters only; its words may be written together or apart
    ("Hugging Face", "HuggingFace"), and a plural or possessive ending counts ("Trello's", "Postgreses")."""
    words = letters(term).split()
    return re.compile(r"\b" + r" ?".join(re.escape(w) for w in words) + r"(?:s|es)?\b")


def term_count(text: str, term: str) -> int:
    return len(_term_regex(term).findall(letters(text)))


@dataclass(frozen=True)
class TermCounts:
    expected: int  # term occurrences in the reference
    missed: int  # occurrences in the reference the hypothesis lacks (per term, per clip)
    inserted: int  # occurrences in the hypothesis the reference lacks (per term, per clip)


def term_counts(reference: str, hypothesis: str, terms: Sequence[str]) -> TermCounts:
    """Terms counted as a bag per clip and term: a term said twice and heard once is one missed."""
    expected = missed = inserted = 0
    for term in terms:
        said, heard = term_count(reference, term), term_count(hypothesis, term)
        expected += said
        missed += max(0, said - heard)
        inserted += max(0, heard - said)
    return TermCounts(expected, missed, inserted)


def check(community: Community) -> list[str]:
    """What is wrong with a community's data (empty when it is fit to measure with)."""
    problems = []
    sizes = {"training": 24, "unseen": 12, "soundalike": 12}
    for part, size in sizes.items():
        sentences = community.sentences(part)  # type: ignore[arg-type]
        if len(sentences) != size:
            problems.append(f"{community.name}: {len(sentences)} {part} sentences, not {size}")
        if len(set(sentences)) != len(sentences):
            problems.append(f"{community.name}: repeated {part} sentences")
        for sentence in sentences:
            found = [t for t in community.terms if term_count(sentence, t)]
            if part == "soundalike" and found:
                problems.append(f"{community.name}: sound-alike {sentence!r} contains {found}")
            if part != "soundalike" and not found:
                problems.append(f"{community.name}: {part} {sentence!r} contains no term")
    overlap = set(community.training) & set(community.unseen)
    if overlap:
        problems.append(f"{community.name}: unseen sentences also in training: {sorted(overlap)}")
    for term in community.terms:
        if not any(term_count(s, term) for s in community.unseen):
            problems.append(f"{community.name}: term {term!r} is in no unseen sentence")
    return problems


# --- voices -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Voice:
    """An espeak-ng voice (with a variant after '+'), its speed in words per minute, and pink noise at snr_db
    dB signal-to-noise (None: clean)."""

    name: str
    speed: int
    snr_db: float | None = None

    def describe(self) -> str:
        noise = "" if self.snr_db is None else f", {self.snr_db:g} dB SNR"
        return f"{self.name} {self.speed} wpm{noise}"


# Training clips and unseen clips share no voice: the unseen clips are other speakers too.
VOICES: dict[Mix, tuple[str, ...]] = {
    "training": ("en-us", "en-gb", "en-us+m3", "en-gb-x-rp+f2", "en-us+klatt"),
    "unseen": ("en-gb-scotland", "en-us+f3", "en-029+m2", "en-gb-x-gbclan", "en-us-nyc+f4", "en-gb+m7"),
    # Written with bench/acceptance_communities.py: voices and variants no tuning mix uses.
    "acceptance": ("en-gb-x-gbcwmd", "en-us+Annie", "en-gb+grandpa", "en-us+caleb", "en-gb-x-rp+belinda"),
    # Written with the crag community, after kitchen chose two settings in the mix above.
    "acceptance2": ("en-us+m6", "en-gb+f5", "en-029+f1", "en-us-nyc+m1", "en-gb-x-gbcwmd+m4"),
    # Written with the harbour community: variants (m5, linda, robert, aunty, paul) no other mix uses.
    "acceptance3": (
        "en-gb-scotland+m5",
        "en-us+linda",
        "en-029+robert",
        "en-gb-x-gbclan+aunty",
        "en-us-nyc+paul",
    ),
    # Written with the market and tabletop communities: variants no other mix uses, and none shared between
    # the two. No "en-gb+variant": this espeak-ng speaks plain en-gb for it (the variant is ignored).
    "acceptance4": (
        "en-us+travis",
        "en-gb-x-rp+steph",
        "en-029+m8",
        "en-gb-scotland+david",
        "en-us-nyc+Alicia",
    ),
    "acceptance5": (
        "en-us+adam",
        "en-gb-x-gbcwmd+Andrea",
        "en-029+benjamin",
        "en-gb-x-gbclan+victor",
        "en-gb-x-rp+anika",
    ),
    # Written with the garden and skyforge communities: variants no other mix uses, none shared between the
    # two, each checked to sound unlike its base voice (no "en-gb+variant", as above).
    "acceptance6": (
        "en-us+grandma",
        "en-gb-x-rp+edward",
        "en-029+Michael",
        "en-gb-scotland+shelby",
        "en-us-nyc+john",
    ),
    "acceptance7": (
        "en-us+max",
        "en-gb-x-gbcwmd+Mike",
        "en-gb-x-gbclan+quincy",
        "en-029+norbert",
        "en-gb-x-rp+Gene",
    ),
    # Written with the espresso and tidewatch communities (fifth session): variants no other mix uses, none
    # shared between the two, each checked to speak and to sound unlike its base voice (no "en-gb+variant").
    "acceptance8": (
        "en-us+Alex",
        "en-gb-x-rp+Denis",
        "en-029+Mario",
        "en-gb-scotland+ed",
        "en-us-nyc+marcelo",
    ),
    "acceptance9": (
        "en-us+Lee",
        "en-gb-x-gbclan+Nguyen",
        "en-gb-x-gbcwmd+sandro",
        "en-029+gustave",
        "en-gb-x-rp+Andy",
    ),
    # Written with the birding and foundry communities (sixth session): variants no other mix uses, none
    # shared between the two, each checked to speak and to sound unlike its base voice (no "en-gb+variant").
    "acceptance10": (
        "en-us+Hugo",
        "en-gb-x-rp+michel",
        "en-029+pedro",
        "en-gb-scotland+Jacky",
        "en-us-nyc+steph2",
    ),
    "acceptance11": (
        "en-us+antonio",
        "en-gb-x-gbclan+miguel",
        "en-gb-x-gbcwmd+Diogo",
        "en-029+rob",
        "en-gb-x-rp+zac",
    ),
    # Written with the chainring, lanternfall and airwaves communities (seventh session): variants no other mix
    # uses, none shared among the three, each checked to speak and to sound unlike its base voice (the wav
    # differs from the base voice's; no "en-gb+variant").
    "acceptance12": (
        "en-us+Henrique",
        "en-gb-x-rp+Marco",
        "en-029+iven3",
        "en-gb-scotland+Gene2",
        "en-us-nyc+steph3",
    ),
    "acceptance13": (
        "en-us+edward2",
        "en-gb-x-gbclan+pablo",
        "en-gb-x-gbcwmd+iven4",
        "en-029+klatt4",
        "en-gb-x-rp+boris",
    ),
    "acceptance14": (
        "en-us+kaukovalta",
        "en-gb-x-rp+iven2",
        "en-029+croak",
        "en-gb-scotland+klatt5",
        "en-us-nyc+AnxiousAndy",
    ),
    "quick": ("en-us",),
}
SPEEDS: dict[Mix, tuple[int, int]] = {
    "training": (150, 175),
    "unseen": (140, 190),
    "acceptance": (145, 185),
    "acceptance2": (145, 180),
    "acceptance3": (145, 180),
    "acceptance4": (140, 185),
    "acceptance5": (145, 175),
    "acceptance6": (140, 180),
    "acceptance7": (150, 185),
    "acceptance8": (145, 190),
    "acceptance9": (140, 175),
    "acceptance10": (145, 185),
    "acceptance11": (140, 180),
    "acceptance12": (145, 180),
    "acceptance13": (140, 185),
    "acceptance14": (145, 175),
    "quick": (160, 160),
}
NOISE: dict[Mix, tuple[float | None, ...]] = {
    "training": (None, None, 20.0),
    "unseen": (None, 20.0, 15.0, 10.0),
    "acceptance": (None, 20.0, 12.0),
    "acceptance2": (None, None, 20.0, 15.0),
    "acceptance3": (None, None, 20.0, 15.0),
    "acceptance4": (None, None, 20.0, 15.0),
    "acceptance5": (None, 20.0, None, 12.0),
    "acceptance6": (None, None, 20.0, 15.0),
    "acceptance7": (None, 15.0, None, 20.0),
    "acceptance8": (None, 20.0, None, 15.0),
    "acceptance9": (None, None, 15.0, 20.0),
    "acceptance10": (None, 15.0, 20.0, None),
    "acceptance11": (None, 20.0, None, 12.0),
    "acceptance12": (None, None, 20.0, 15.0),
    "acceptance13": (None, 15.0, None, 20.0),
    "acceptance14": (None, 20.0, 12.0, None),
    "quick": (None,),
}


def voice_for(mix: Mix, seed: int, index: int) -> Voice:
    """The voice of clip `index` in a mix: the voices rotate (every voice gets clips), speed and noise are
    drawn from a generator seeded by (mix, seed, index), so the same clip always sounds the same."""
    names = VOICES[mix]
    rng = random.Random(f"{mix}:{seed}:{index}")
    low, high = SPEEDS[mix]
    speed = low if low == high else rng.randrange(low, high + 1, 5)
    return Voice(names[(seed + index) % len(names)], speed, rng.choice(NOISE[mix]))


def _pink_noise(samples: int, seed: int) -> np.ndarray:
    """Deterministic pink (1/f) noise of unit RMS."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(samples))
    frequencies = np.arange(len(spectrum))
    spectrum[1:] /= np.sqrt(frequencies[1:])
    spectrum[0] = 0
    noise = np.fft.irfft(spectrum, n=samples)
    return noise / (np.sqrt(np.mean(noise**2)) or 1.0)


def _read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float64)


def _write_wav(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(np.clip(np.round(samples), -32768, 32767).astype(np.int16).tobytes())


def speak(text: str, voice: Voice, folder: Path = SPEECH) -> Path:
    """A 16 kHz mono WAV of the text in that voice, made once (cached by text and voice). Noise, if any, is
    mixed over the speech at the voice's SNR (speech RMS over the voiced part, seeded by the text)."""
    key = hashlib.sha1(f"{text}|{voice.name}|{voice.speed}|{voice.snr_db}".encode()).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{key}.wav"
    if out.exists():
        return out
    raw, clean = folder / f"{key}.raw.wav", folder / f"{key}.clean.wav"
    subprocess.run(["espeak-ng", "-v", voice.name, "-s", str(voice.speed), "-w", str(raw), text], check=True)
    subprocess.run(["sox", "-R", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(clean)], check=True)
    raw.unlink()
    if voice.snr_db is None:
        clean.replace(out)
        return out
    speech = _read_wav(clean)
    voiced = speech[np.abs(speech) > 0.02 * (np.abs(speech).max() or 1.0)]
    rms = np.sqrt(np.mean(voiced**2)) if len(voiced) else 0.0
    noise = _pink_noise(len(speech), int(key[:8], 16)) * rms / 10 ** (voice.snr_db / 20)
    tmp = folder / f"{key}.tmp.wav"
    _write_wav(tmp, speech + noise)
    clean.unlink()
    tmp.replace(out)
    return out


@dataclass(frozen=True)
class Clips:
    paths: tuple[Path, ...]
    texts: tuple[str, ...]
    voices: tuple[Voice, ...]


def spoken(sentences: Sequence[str], mix: Mix, seed: int = 0, *, limit: int | None = None) -> Clips:
    """The sentences spoken in a voice mix (cached), at most `limit` of them."""
    chosen = list(sentences)[:limit]
    voices = [voice_for(mix, seed, i) for i in range(len(chosen))]
    paths = [speak(text, voice) for text, voice in zip(chosen, voices, strict=True)]
    return Clips(tuple(paths), tuple(chosen), tuple(voices))


def clips(community: Community, part: Part, seed: int = 0, *, quick: bool = False) -> Clips:
    """A community's clips: training sentences in the training voices, unseen and sound-alike sentences in the
    unseen voices (quick: one voice, the first 6)."""
    if quick:
        return spoken(community.sentences(part), "quick", seed, limit=6)
    return spoken(
        community.sentences(part), "training" if part == "training" else community.held_out_voices, seed
    )


def main() -> None:
    for community in COMMUNITIES.values():
        problems = check(community)
        if problems:
            raise SystemExit("\n".join(problems))
        for part in ("training", "unseen", "soundalike"):
            made = clips(community, part)
            voices = sorted({v.name for v in made.voices})
            print(f"{community.name} ({community.role}) {part}: {len(made.paths)} clips, voices {voices}")


if __name__ == "__main__":
    main()
