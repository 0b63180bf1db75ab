"""General speech replayed while a server's adapter trains, so it learns the server's words without
unlearning everyday sentences.

Every training window otherwise holds only the server's corrected clips, full of its terms; the decoder then
drifts toward them on everything it hears (measured: an adapter on the decoder alone lost real speech as much
as one on both halves, so the loss is in what the model expects to hear, not in its ears). Replayed
sentences are everyday English spoken by espeak-ng with their exact text, never the general-speech guard's
sentences, and only ever in the training side of a fold: dev and test recordings stay the server's own.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.media.audio import load_audio
from trainer.dataset import Clip
from trainer.guard import speak_once

REPLAY_SENTENCES = [
    "I left my umbrella at the office, so I got completely soaked on the way home.",
    "The bakery on the corner sells the best bread in the whole neighbourhood.",
    "Could you send me the address again? I think I wrote it down wrong.",
    "We are driving to the coast this weekend if the weather stays nice.",
    "My phone battery dies by lunchtime, so I carry a charger everywhere.",
    "The new museum downtown has a room full of old maps and clocks.",
    "He cooked pasta with garlic and lemon for everyone on Friday night.",
    "Turn left at the traffic lights and the station is on your right.",
    "I have been reading a long novel about a family of sailors.",
    "The neighbours' dog barks every time the postman comes to the door.",
    "Please turn the music down a little, the baby is finally asleep.",
    "It took us three hours to assemble the bookshelf from the instructions.",
    "The coffee machine at work broke again, so everyone went to the cafe.",
    "She runs five kilometres every morning before she starts work.",
    "Our flight was delayed, so we spent the evening at the airport.",
    "They are repainting the bridge, and the road will be closed for a week.",
    "I forgot to water the plants, and now the leaves are turning yellow.",
    "The concert starts at eight, but the doors open an hour earlier.",
    "Can you pick up some apples and a bottle of milk from the shop?",
    "The football match went to extra time and ended in a draw.",
    "He fixed the bicycle chain with a screwdriver and a bit of oil.",
    "Winter came early this year, and the lake froze in November.",
    "We booked a small cabin in the mountains for the summer holidays.",
    "The teacher asked everyone to bring a photo from their childhood.",
]


def replay_clips(data_dir: Path, count: int) -> list[Clip]:
    """The first `count` replay sentences as clips, spoken once and kept under data_dir/cache/replay."""
    folder = data_dir / "cache" / "replay"
    folder.mkdir(parents=True, exist_ok=True)
    clips = []
    for index, text in enumerate(REPLAY_SENTENCES[:count]):
        path = speak_once(text, folder / f"replay-{index:02d}.wav")
        clips.append(Clip(load_audio(path), text, media_id=-1 - index))
    return clips
