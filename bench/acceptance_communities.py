"""Acceptance communities for issue 20, each written after the serving recipe it judges was fixed.

kitchen and starship were written after the prompt-loop rule (bot/core/transcription/combine.py) and
measured once with it. kitchen then chose two settings (the near-term rule and the invented-tail
thresholds): it is a TUNING set now (role "tuning"; its voice mix "acceptance" was heard while choosing).
starship chose nothing (its run began before those changes; its voices are kitchen's). crag was written
after them, in a voice mix of its own ("acceptance2"), and has chosen nothing. harbour was written by a helper
during the session that introduced glossary-conditioned fine-tuning, without seeing any of its results, in a
voice mix of its own ("acceptance3"), and has chosen nothing.

Every community of bench/communities.py has chosen a setting by now (coined and jargon the recipe, names and
fantasy TERM_CONFIDENCE), so they are all tuning sets. These are new terms, new sentences and new voice
mixes (espeak-ng voices and variants none of the tuning mixes uses). If one of them is ever used to pick a
threshold, a rule or a default, say so here, move it to bench/communities.py as tuning, and write new ones.

- kitchen: a cooking server, dish and condiment names the base half-knows (sriracha, tahini) or cannot
  spell (gochujang, furikake), with everyday sentences that sound like them ("We flew to Tahiti").
- starship: a space-game server, coined names (Korvane, Vexroot) beside gamer words (nerf, kiting).
- crag: a climbing server, crags and climbers the base half-knows (Fontainebleau, Honnold) beside moves
  (dyno, gaston).
- harbour: a sailing server, places, classes, brands and a sailor the base half-knows (Solent, Cowes, Hobie,
  Harken, Musto, Ainslie) beside West Highland and Cornish harbours it can hardly spell (Ardnamurchan,
  Kyleakin, Plockton, Mylor), with everyday sentences that sound like them ("We must go before the shops
  close", "Her new hobby is pottery").
"""

from __future__ import annotations

from bench.communities import Community

KITCHEN = Community(  # written as acceptance; tuning since it chose the near-term and tail rules
    "kitchen",
    "tuning",
    "jargon",
    (
        "gochujang",
        "shakshuka",
        "chimichurri",
        "tzatziki",
        "furikake",
        "harissa",
        "ponzu",
        "dashi",
        "sriracha",
        "tahini",
    ),
    (
        "Stir a spoon of gochujang into the stew.",
        "My shakshuka needs more eggs and less cumin.",
        "Pour the chimichurri over the grilled steak.",
        "The tzatziki tastes better with fresh dill.",
        "Sprinkle furikake on the rice before serving.",
        "Harissa makes the roast carrots smoky and hot.",
        "Dip the dumplings in ponzu with a little chili.",
        "A good dashi starts with kelp and bonito flakes.",
        "Everyone puts sriracha on their noodles here.",
        "Whisk the tahini with lemon until it turns pale.",
        "I ran out of gochujang halfway through the recipe.",
        "We had shakshuka for brunch on Sunday.",
        "Make the chimichurri a day ahead so it settles.",
        "Grate the cucumber and squeeze it dry for tzatziki.",
        "The furikake in this shop has too much salt.",
        "Rub harissa under the chicken skin.",
        "Ponzu is just citrus juice and soy sauce.",
        "Simmer the dashi gently and never let it boil.",
        "A drop of sriracha fixes a bland soup.",
        "Tahini cookies are my favourite thing to bake.",
        "Mix gochujang and honey for the glaze.",
        "Serve the lamb with tzatziki and warm bread.",
        "Add harissa to the shakshuka for more heat.",
        "Season the dashi with a splash of ponzu.",
    ),
    (
        "Is gochujang the same as chili paste?",
        "How many eggs go in a shakshuka for four?",
        "The chimichurri turned brown overnight.",
        "Thick tzatziki needs strained yogurt.",
        "Can I make furikake without seaweed?",
        "This harissa is made with rose petals.",
        "Swap the vinegar for ponzu in the dressing.",
        "Instant dashi powder works in a pinch.",
        "Sriracha mayo goes with everything.",
        "My tahini separated in the jar again.",
        "Gochujang and tahini make a strange but good sauce.",
        "Put a spoon of furikake on the sriracha eggs.",
    ),
    (
        "The pond zoo has two new otters.",
        "Harris asked about the rent again.",
        "The old shack shook all night in the wind.",
        "Jimmy's curry was far too spicy.",
        "Make a dash, he said, the bus is leaving.",
        "We flew to Tahiti for our honeymoon.",
        "Go choose a young puppy from the litter.",
        "The kids ate free cake at the fair.",
        "That zucchini is bigger than my arm.",
        "A dashing young man opened the door.",
        "She sent the tea from Sri Lanka.",
        "The chimney in the attic needs sweeping.",
    ),
    held_out_voices="acceptance",
)

STARSHIP = Community(
    "starship",
    "acceptance",
    "fantasy",
    ("Korvane", "Thessary", "Vexroot", "Ilmara", "Drasken", "Zephyrine", "nerf", "kiting"),
    (
        "Our Korvane can jump twice before it needs fuel.",
        "The Thessary system has three gas giants.",
        "Mine Vexroot on the moon before the pirates come.",
        "Ilmara is the best pilot in the fleet.",
        "The Drasken ambushed us at the jump gate.",
        "Zephyrine runs the station market.",
        "They will nerf the shield drones next patch.",
        "Keep kiting the cruiser until the turrets cool.",
        "Sell the Vexroot at Thessary for double.",
        "Ilmara flew the Korvane through the asteroid field.",
        "The Drasken fleet is camping the north lane.",
        "Ask Zephyrine for a discount on repairs.",
        "That nerf made missile boats useless.",
        "Kiting works until they bring fast frigates.",
        "A Korvane hull costs forty thousand credits.",
        "Thessary prime is safe space for new players.",
        "Vexroot prices crashed after the update.",
        "Ilmara betrayed the Drasken in the last chapter.",
        "Zephyrine has a quest for anyone with a cargo bay.",
        "Please do not nerf the mining lasers.",
        "I lost my Korvane kiting three Drasken frigates.",
        "The route to Thessary is full of pirates tonight.",
        "Refine the Vexroot before you haul it.",
        "Ilmara and Zephyrine are sisters in the story.",
    ),
    (
        "Where can I buy a Korvane blueprint?",
        "The Thessary gate is closed for maintenance.",
        "How much Vexroot do I need for the upgrade?",
        "Ilmara gives the final mission.",
        "Drasken pirates never take prisoners.",
        "Zephyrine pays well for rare ore.",
        "The devs promised no more nerf to drones.",
        "Kiting the boss takes patience.",
        "Ilmara parked her Korvane at the station.",
        "The Drasken want the Vexroot mines of Thessary.",
        "Zephyrine taught me kiting in the tutorial.",
        "Every nerf makes the Korvane slower.",
    ),
    (
        "The weather vane on the barn turned north.",
        "It was necessary to leave early.",
        "Take the next route to the coast.",
        "Elmira is a town in New York.",
        "The dress can be shortened by the tailor.",
        "A soft zephyr blew in from the sea.",
        "You need nerve to climb that cliff.",
        "The kids were flying a kite in the park.",
        "A sapphire ring was found in the sand.",
        "That was a drastic change of plan.",
        "The carnival came to town in May.",
        "The surf was too rough for swimming.",
    ),
    held_out_voices="acceptance",
)

CRAG = Community(  # written after the kitchen community chose the near-term and tail rules
    "crag",
    "acceptance",
    "jargon",
    ("Fontainebleau", "Kalymnos", "Stanage", "Ondra", "Honnold", "Moonboard", "dyno", "gaston", "heelhook"),
    (
        "We are driving to Fontainebleau for the long weekend.",
        "Kalymnos has limestone caves right above the sea.",
        "Stanage was packed with school groups on Saturday.",
        "Ondra flashed the route on his first try.",
        "Honnold climbed it without a rope.",
        "The Moonboard at our gym finally got new holds.",
        "You have to dyno to the jug at the top.",
        "Use a gaston on the side pull and push out.",
        "A heelhook takes the weight off your arms.",
        "The sandstone in Fontainebleau is very soft when wet.",
        "Flights to Kalymnos are cheaper in October.",
        "The classic cracks at Stanage are all polished.",
        "Ondra trains on a board in his basement.",
        "Everybody talks about the Honnold film.",
        "I set a new problem on the Moonboard last night.",
        "Short people dyno where tall people reach.",
        "That gaston is the crux of the whole climb.",
        "Try a heelhook on the arete to stay in.",
        "Our club trip to Fontainebleau sold out in a day.",
        "The best sport routes on Kalymnos face west.",
        "It rained all week at Stanage.",
        "Ondra and Honnold climbed together in Spain.",
        "The Moonboard benchmarks are graded hard.",
        "A heelhook and a gaston got me past the roof.",
    ),
    (
        "Is Fontainebleau good for beginners?",
        "We rented scooters on Kalymnos.",
        "Stanage is an hour from the city.",
        "Ondra makes hard routes look easy.",
        "Honnold gave a talk at the library.",
        "The Moonboard app logs every attempt.",
        "Do not dyno on a cold morning.",
        "Swap hands and take the gaston.",
        "My heelhook keeps slipping off the volume.",
        "After Kalymnos we spent a week in Fontainebleau.",
        "Honnold and Ondra both started on plastic.",
        "The dyno on the Moonboard is impossible.",
    ),
    (
        "The fountain in the blue square was dry.",
        "The calamari was fresh and salty.",
        "Stan aged a lot after the war.",
        "The Honda broke down again on the hill.",
        "Honey, hold the ladder for me.",
        "She painted a moon on the board.",
        "Dino bones were found in the quarry.",
        "The gas tank was empty by noon.",
        "He'll hook a big fish today.",
        "Andrea sang at the wedding.",
        "I will ask Stan if he can come.",
        "The moon bored the children after an hour.",
    ),
    held_out_voices="acceptance2",
)

HARBOUR = Community(  # written by a helper without seeing any glossary-conditioned fine-tuning result
    "harbour",
    "acceptance",
    "jargon",
    (
        "Solent",
        "Cowes",
        "Harken",
        "Musto",
        "Ainslie",
        "Fastnet",
        "Lymington",
        "Hobie",
        "Ardnamurchan",
        "Kyleakin",
        "Plockton",
        "Mylor",
    ),
    (
        "We raced across the Solent in a strong westerly.",
        "Cowes is the busiest town on the island in August.",
        "The Harken blocks on the mainsheet need new bearings.",
        "I bought a Musto jacket for the winter series.",
        "Ainslie won the race by half a boat length.",
        "Only three boats finished the Fastnet this year.",
        "We keep the dinghy at the club in Lymington.",
        "The Hobie capsized twice in the gusts.",
        "The tide runs hard off Ardnamurchan point.",
        "We anchored at Kyleakin under the bridge.",
        "The moorings at Plockton are free for one night.",
        "Mylor has a small yard that fixes old wooden boats.",
        "The ferry from Lymington takes forty minutes.",
        "The chop in the Solent soaked everyone on the foredeck.",
        "Book a berth in Cowes before the regatta starts.",
        "Swap the old cleats for Harken ones.",
        "My Musto boots still leak at the heel.",
        "Ainslie coached the youth squad last summer.",
        "The lighthouse on the Fastnet rock came into view at dawn.",
        "Kids learn to sail on a Hobie at the lake.",
        "Round Ardnamurchan early before the wind picks up.",
        "Kyleakin fills up with yachts when the weather is good.",
        "The fish shop in Plockton closes at five.",
        "We sailed from Mylor to Falmouth for lunch.",
    ),
    (
        "Is the Solent too busy for a beginner?",
        "Which pontoon in Cowes has fresh water?",
        "Harken sent us a new winch handle for free.",
        "The Musto sale starts on Friday.",
        "Fastnet entries sold out in four minutes.",
        "Parking in Lymington costs a fortune in summer.",
        "The Hobie trailer has a flat tyre.",
        "Ardnamurchan lighthouse has a cafe and a museum.",
        "The Mylor harbour master lent us a mooring.",
        "After Kyleakin we motored round to Plockton.",
        "Ainslie wore a Musto smock in the Fastnet.",
        "The Hobie fleet sailed over to Cowes for the weekend.",
    ),
    (
        "The silent crowd waited for the result.",
        "The cows wandered down to the river.",
        "She kept harking back to her school days.",
        "We must go before the shops close.",
        "Ainsley made tea for the whole office.",
        "We need a fast net connection for the video call.",
        "My grandad's Remington typewriter still works.",
        "Her new hobby is pottery.",
        "A hard-nosed merchant bought the whole cargo.",
        "Kyle was packing for the holiday all night.",
        "We saw Clapton play at the old theatre.",
        "He was a four minute miler at school.",
    ),
    held_out_voices="acceptance3",
)

ACCEPTANCE: dict[str, Community] = {c.name: c for c in (STARSHIP, CRAG, HARBOUR)}


def every_community() -> dict[str, Community]:
    """Tuning and acceptance communities by name, for the benches' --community option."""
    from bench.communities import COMMUNITIES

    return {**COMMUNITIES, KITCHEN.name: KITCHEN, **ACCEPTANCE}
