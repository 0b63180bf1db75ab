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
    "progress.queued": "⏳ En file d'attente…",
    "progress.place": "⏳ En file d'attente ({ordinal} place : {ahead})…",
    "progress.nobody_ahead": "personne avant vous",
    "progress.ahead": "{count} avant vous",
    "progress.downloading": "⬇️ Téléchargement",
    "progress.decoding": "🎛️ Décodage de l'audio",
    "progress.transcribing": "✍️ Transcription",
    "progress.done": "✅ Terminé",
    "caption.header": "📝 **Sous-titres** · {title} · {duration} · {model}",
    "caption.voice_message": "message vocal",
    "caption.base_model": "modèle de base",
    "caption.model": "modèle {version}",
    "caption.no_speech": "*(aucune parole détectée)*",
    "caption.hint": (
        "-# Des mots faux ? Répondez à ce message avec le texte corrigé ou un .vtt modifié, ou appuyez sur "
        "Correct."
    ),
    "caption.hint_plain": (
        "-# Des mots faux ? Répondez à ce message avec le texte corrigé, ou appuyez sur Correct. Get .vtt : le "
        "fichier de sous-titres minuté."
    ),
    "caption.teaches": (
        "-# Les corrections de ces sous-titres peuvent entraîner le modèle de ce serveur (voir /privacy)."
    ),
    "caption.asked": "🎙️ Sous-titrage de {link} ; les sous-titres y répondront.",
    "correction.saved": "✅ Merci ! {count} paires d'entraînement enregistrées depuis votre correction.",
    "correction.saved.one": "✅ Merci ! {count} paire d'entraînement enregistrée depuis votre correction.",
    "correction.enough": ("Ce serveur a {total} paires, assez pour qu'un modérateur lance /retrain."),
    "correction.tally": "Ce serveur a {total} des {needed} paires nécessaires au prochain /retrain.",
    "correction.proposed": "Proposé pour le vocabulaire (un modérateur vérifie) : {terms}.",
    "error.generic": "Une erreur s'est produite de notre côté ; elle a été journalisée.",
    "error.outdated": (
        "Cette commande a changé depuis que Discord l'a chargée ; rechargez Discord et réessayez."
    ),
    "error.busy": "Je suis occupé par d'autres sous-titres ; réessayez dans une minute.",
    "error.user_rate": (
        "Vous avez demandé {limit} sous-titres dans la dernière minute, le maximum ; réessayez dans {count} "
        "secondes."
    ),
    "error.user_rate.one": (
        "Vous avez demandé {limit} sous-titres dans la dernière minute, le maximum ; réessayez dans {count} "
        "seconde."
    ),
    "error.guild_rate": (
        "Ce serveur a demandé {limit} sous-titres dans la dernière minute, le maximum ; réessayez dans {count} "
        "secondes."
    ),
    "error.guild_rate.one": (
        "Ce serveur a demandé {limit} sous-titres dans la dernière minute, le maximum ; réessayez dans {count} "
        "seconde."
    ),
    "error.user_in_flight": (
        "Vous avez déjà {count} demandes de sous-titres en cours, le maximum à la fois ({limit}) ; réessayez "
        "quand l'une sera terminée."
    ),
    "error.user_in_flight.one": (
        "Vous avez déjà {count} demande de sous-titres en cours, le maximum à la fois ({limit}) ; réessayez "
        "quand elle sera terminée."
    ),
    "error.guild_queue_full": (
        "La file de sous-titres de ce serveur est pleine : {count} demandes attendent ou sont en cours, le "
        "maximum ({limit}) ; réessayez quand l'une sera terminée."
    ),
    "error.audio_budget": (
        "Ce serveur a fait sous-titrer {used} minutes d'audio dans la dernière heure ; la limite est de {limit} "
        "minutes par heure. Réessayez dans {wait} minutes."
    ),
    "error.correction_rate": (
        "Vous avez envoyé {limit} corrections dans la dernière minute, le maximum ; réessayez dans {count} "
        "secondes. Rien n'a été enregistré."
    ),
    "error.correction_rate.one": (
        "Vous avez envoyé {limit} corrections dans la dernière minute, le maximum ; réessayez dans {count} "
        "seconde. Rien n'a été enregistré."
    ),
    "error.caption_gone": (
        "Ces sous-titres n'existent plus (leur audio a été supprimé) et ne peuvent pas être corrigés ; rien "
        "n'a été enregistré."
    ),
    "error.caption_file_gone": "Ces sous-titres n'existent plus (ils ont été supprimés) : il n'y a pas de fichier.",
    "error.nothing_usable": (
        "Pour corriger des sous-titres, répondez avec le texte corrigé ou joignez les sous-titres modifiés en "
        "fichier .vtt ou .srt."
    ),
    "error.too_long_for_form": (
        "Cette transcription est trop longue pour le formulaire de correction ; téléchargez le fichier de "
        "sous-titres, corrigez-le et répondez au message des sous-titres avec le .vtt modifié en pièce jointe."
    ),
    "error.not_corrector": (
        "Seuls les membres ayant le rôle <@&{role}> peuvent corriger les sous-titres sur ce serveur ; rien n'a "
        "été enregistré."
    ),
    "error.link_or_file": "Donnez soit un lien soit un fichier à sous-titrer (l'un des deux).",
    "error.not_media_file": (
        "{name} n'est pas un fichier audio ou vidéo ; joignez un audio, une vidéo ou un message vocal."
    ),
    "error.not_a_link": "'{link}' n'est pas un lien ; collez l'adresse complète de la vidéo (https://…).",
    "error.not_media_posted": (
        "{names} n'est ni audio ni vidéo ; je sous-titre les messages vocaux et les fichiers audio et vidéo."
    ),
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
