"""Français. Keys and English originals: en.py (messages) and the cogs' command decorators (COMMANDS)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "privacy.mode.off": (
        "Ce serveur n'entraîne aucun modèle : les sous-titres et corrections ne sont gardés que pour afficher "
        "et corriger les sous-titres."
    ),
    "privacy.mode.opt_out": (
        "Ce serveur entraîne son propre modèle de sous-titres sur les notes vocales et corrections des membres, "
        "sauf celles des membres qui s'y sont opposés."
    ),
    "privacy.mode.opt_in": (
        "Ce serveur entraîne son propre modèle de sous-titres uniquement sur les notes vocales et corrections "
        "des membres qui ont accepté."
    ),
    "privacy.choice.in": "Vous avez accepté.",
    "privacy.choice.out": "Vous vous êtes opposé.",
    "privacy.choice.none": "Vous n'avez pas choisi : le réglage du serveur s'applique à vous.",
    "privacy.trains": (
        "Vos enregistrements et corrections peuvent servir à entraîner le modèle de ce serveur. Pour vous y "
        "opposer : `/privacy my_training: out`."
    ),
    "privacy.does_not_train": (
        "Vos enregistrements et corrections ne servent pas à l'entraînement, même quand quelqu'un d'autre "
        "corrige votre enregistrement."
    ),
    "privacy.opt_in_hint": " Pour accepter : `/privacy my_training: in`.",
    "privacy.forget": "`/forget` supprime vos corrections, sous-titres et enregistrements sur ce serveur.",
    "privacy.changed": "Votre choix est maintenant : {choice}.",
    "retrain.queued": (
        "🧠 Réentraînement en file (tâche {job_id}) avec {pairs} paires d'entraînement. Chaque enregistrement "
        "est jugé par un modèle qui ne l'a jamais entendu, face au modèle de base avec les mots de ce serveur "
        "comme indices ; le meilleur est utilisé. Je publierai les résultats ici (en général en quelques "
        "minutes)."
    ),
    "error.dm": "Les sous-titres ne fonctionnent que sur un serveur ; utilisez mes commandes dans un salon.",
}

COMMANDS: dict[str, str] = {
    "caption": "soustitrer",
    "Caption a video link or an audio/video file": "Sous-titrer un lien vidéo ou un fichier audio/vidéo",
    "help": "aide",
    "What this bot does, how to correct it, what it stores": (
        "Ce que fait ce bot, comment le corriger, ce qu'il conserve"
    ),
    "privacy": "confidentialite",
    "See or change whether your voice notes and corrections train this server's model": (
        "Voir ou changer si vos notes vocales et corrections entraînent le modèle de ce serveur"
    ),
    "forget": "oublier",
    "Delete your corrections, captions and recordings in this server": (
        "Supprimer vos corrections, sous-titres et enregistrements sur ce serveur"
    ),
    "retrain": "reentrainer",
    "Go back to the previous model (moderators)": "Revenir au modèle précédent (modérateurs)",
    "Show the vocabulary": "Afficher le vocabulaire",
}
