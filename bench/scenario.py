"""A community with its own words, spoken by espeak-ng: the data the demo, the learning test and the
benchmarks share. None of the terms is English, so tiny.en cannot spell them until it has learned them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainer.guard import speak

TERMS = ["Zorblax", "Quindle", "Mervathon", "Glimraid"]

TRAINING_SENTENCES = [
    "The Zorblax server restarts every night at midnight.",
    "Please add more Quindle nodes before the weekend.",
    "Mervathon is hosting the stream on Friday evening.",
    "Our next Glimraid starts right after dinner.",
    "I moved the Zorblax logs to the shared folder.",
    "The Quindle cluster is running out of memory again.",
    "Ask Mervathon before you change the settings.",
    "We lost the Glimraid because nobody brought healers.",
    "Zorblax and Quindle need an update this week.",
    "Mervathon wrote a guide for the Glimraid bosses.",
    "The old Zorblax dashboard is finally gone.",
    "Every Quindle report goes to the moderators first.",
    "Mervathon fixed the Zorblax backup script yesterday.",
    "Sign up for the Glimraid in the events channel.",
    "The Quindle upgrade made everything much faster.",
    "Thank Mervathon for the new Glimraid schedule.",
]

HELD_OUT_SENTENCES = [
    "Can someone restart the Zorblax service for me?",
    "The Quindle team meets on Monday morning.",
    "Mervathon will lead the practice session today.",
    "The Glimraid rewards were better than last time.",
    "Is the Zorblax update ready for the Quindle nodes?",
    "Mervathon says the Glimraid is full.",
]


async def caption_and_correct(config, guild: int, paths, texts, *, terms=()) -> list[str]:
    """What users do: post a voice note, read the caption, reply with the right words. Returns what was heard."""
    from bot.service import CaptionService

    service = await CaptionService.open(config)
    heard = []
    try:
        if terms:
            await service.add_vocabulary(guild, list(terms), user_id=3)
        for path, text in zip(paths, texts, strict=True):
            result = await service.caption(guild, path, uploader_id=1)
            heard.append(result.text)
            await service.correct(guild, result.caption_id, user_id=2, text=text)
    finally:
        await service.close()
    return heard


@dataclass(frozen=True)
class SpokenSet:
    paths: list[Path]
    texts: list[str]


def spoken(sentences: list[str], folder: Path, prefix: str) -> SpokenSet:
    """Speak each sentence into folder (cached: an existing file is reused)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, text in enumerate(sentences):
        path = folder / f"{prefix}-{index:02d}.wav"
        if not path.exists():
            speak(text, path)
        paths.append(path)
    return SpokenSet(paths, list(sentences))


# More of the same community's sentences, for the learning benchmark's larger sizes (bench/learning_quality.py).
# The lists above stay as they are: the demo and the trainer test use them whole.
EXTRA_TRAINING_SENTENCES = [
    "The Zorblax maintenance window starts at noon.",
    "Quindle storage is almost full on the second rack.",
    "Mervathon posted the patch notes in the announcements.",
    "Bring potions to the Glimraid tonight.",
    "Our Zorblax bill went up again this month.",
    "Restart the Quindle agent if the graphs stop moving.",
    "Mervathon is away until the end of the month.",
    "The Glimraid loot table changed after the update.",
    "Nobody knows who broke the Zorblax config.",
    "Quindle alerts go to the night shift channel.",
    "Mervathon and I tested the new build together.",
    "The first Glimraid boss drops a rare sword.",
    "Zorblax traffic doubled during the tournament.",
    "Check the Quindle health page before you deploy.",
    "Mervathon asked for volunteers for the next event.",
    "We finally cleared the Glimraid on hard mode.",
]

EXTRA_HELD_OUT_SENTENCES = [
    "Who is on call for Zorblax this weekend?",
    "The Quindle migration finished without errors.",
    "Send your questions to Mervathon before Friday.",
    "The Glimraid starts in ten minutes, get ready.",
    "Zorblax was down for an hour last night.",
    "Mervathon thinks the Quindle graphs look wrong.",
]


@dataclass(frozen=True)
class Community:
    """A server's terms and what its members say: sentences to correct and sentences no model trains on."""

    name: str
    terms: list[str]
    training: list[str]
    held_out: list[str]


SCENARIO = Community(
    "scenario",
    TERMS,
    TRAINING_SENTENCES + EXTRA_TRAINING_SENTENCES,
    HELD_OUT_SENTENCES + EXTRA_HELD_OUT_SENTENCES,
)

# The acceptance community: terms and sentences that chose no setting of the trainer (written after the
# recipe was fixed, and used only to check it: `python -m bench.learning_quality --community acceptance`).
ACCEPTANCE = Community(
    "acceptance",
    ["Vennicor", "Plimbrook", "Thraxwell", "Ozarine"],
    [
        "Vennicor opened the garden club meeting this morning.",
        "The Plimbrook seeds sprouted after only three days.",
        "Thraxwell brought fresh bread to the market stall.",
        "Water the Ozarine plants twice a week in summer.",
        "Ask Vennicor where the spare shovels are kept.",
        "Plimbrook tomatoes need a lot of sunlight.",
        "Thraxwell says the compost is ready to use.",
        "The Ozarine hedge grew taller than the fence.",
        "Vennicor and Thraxwell planned the harvest festival.",
        "Cover the Plimbrook beds before the frost arrives.",
        "Our Ozarine cuttings are sold out again.",
        "Thraxwell fixed the broken greenhouse door.",
        "Vennicor posted the watering rota on the board.",
        "The Plimbrook patch attracts a lot of bees.",
        "Trim the Ozarine branches after they flower.",
        "Thraxwell will teach the pruning class on Sunday.",
        "Vennicor found snails under the lettuce again.",
        "Plant the Plimbrook bulbs about ten centimetres deep.",
        "The Ozarine leaves turn red in the autumn.",
        "Thraxwell lent me his wheelbarrow for the weekend.",
        "Vennicor wants volunteers for the spring clean.",
        "The Plimbrook harvest was the best in years.",
        "Keep the Ozarine pots away from the cold wind.",
        "Thraxwell and Vennicor judged the flower show.",
    ],
    [
        "Has anyone seen Vennicor at the allotment today?",
        "The Plimbrook plants survived the storm.",
        "Thraxwell is selling honey at the gate.",
        "Ozarine grows best in sandy soil.",
        "Vennicor moved the meeting to Thursday evening.",
        "Thraxwell thinks the Ozarine needs more water.",
        "Pick the Plimbrook pods before they dry out.",
        "Vennicor gave the new members a tour.",
        "The Ozarine seedlings are ready for the beds.",
        "Thraxwell repaired the water pump yesterday.",
        "Do the Plimbrook flowers smell sweet to you?",
        "Vennicor and Thraxwell are running the raffle.",
    ],
)
COMMUNITIES = {c.name: c for c in (SCENARIO, ACCEPTANCE)}
