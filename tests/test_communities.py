"""The evaluation communities (bench/communities.py): their data is fit to measure with, terms are counted
the way the benches report them, and voices are deterministic."""

from __future__ import annotations

from bench.communities import COMMUNITIES, check, term_counts, voice_for


def test_every_community_has_its_sentences_and_sound_alikes_without_terms():
    assert {c.role for c in COMMUNITIES.values()} == {"tuning", "acceptance"}
    assert {c.kind for c in COMMUNITIES.values() if c.role == "acceptance"} >= {"jargon", "fantasy"}
    for community in COMMUNITIES.values():
        assert check(community) == []


def test_acceptance_communities_share_no_term_with_tuning_ones():
    tuned = {t.lower() for c in COMMUNITIES.values() if c.role == "tuning" for t in c.terms}
    for community in COMMUNITIES.values():
        if community.role == "acceptance":
            assert not tuned & {t.lower() for t in community.terms}


def test_terms_are_counted_case_insensitively_with_plurals_possessives_and_spacing():
    terms = ["Hugging Face", "Trello", "respec"]
    counts = term_counts(
        "Hugging Face's hub and Trello.", "huggingface hub, trellos, the trellis, respect", terms
    )
    assert (counts.expected, counts.missed, counts.inserted) == (2, 0, 0)
    counts = term_counts("We saw a llama.", "We saw Ollama and Ollama's friend.", ["Ollama"])
    assert (counts.expected, counts.missed, counts.inserted) == (0, 0, 2)
    counts = term_counts("Respec twice: respec.", "Respect twice.", terms)
    assert (counts.expected, counts.missed, counts.inserted) == (2, 2, 0)


def test_voices_are_deterministic_and_unseen_clips_use_other_voices():
    assert [voice_for("unseen", 3, i) for i in range(6)] == [voice_for("unseen", 3, i) for i in range(6)]
    training = {voice_for("training", s, i).name for s in range(3) for i in range(24)}
    unseen = {voice_for("unseen", s, i).name for s in range(3) for i in range(12)}
    assert len(training) >= 4 and len(unseen) >= 4 and not training & unseen
    assert {voice_for("unseen", 0, i).snr_db for i in range(12)} - {None}  # some unseen clips are noisy
