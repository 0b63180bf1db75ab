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
        "Corriger."
    ),
    "caption.hint_plain": (
        "-# Des mots faux ? Répondez à ce message avec le texte corrigé, ou appuyez sur Corriger. Obtenir le .vtt : le "
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
    "help.body": (
        "**Caption bot** — sous-titre les notes vocales, les fichiers audio/vidéo et les liens vidéo, et "
        "apprend les mots de ce serveur grâce à vos corrections.\n"
        "\n"
        "**Obtenir des sous-titres**\n"
        "• `/caption link:` ou `file:` — des sous-titres en fichier .vtt/.srt plus le texte lisible.\n"
        "• Clic droit sur un message → Applications → **Caption** — sous-titre tout message avec audio, vidéo "
        "ou lien autorisé, même ancien.\n"
        "• Notes vocales et fichiers publiés là où l'autocaption est activé : sous-titrés d'eux-mêmes.\n"
        "• Liens publiés là où les boutons Caption sont activés : appuyez sur le bouton.\n"
        "\n"
        "**Corriger des sous-titres**\n"
        "Répondez aux sous-titres avec le bon texte (ou un .vtt/.srt modifié), ou appuyez sur **Corriger**. "
        "Chaque correction sert à l'entraînement ; `/retrain` (modérateurs) en fait un modèle pour ce "
        "serveur, utilisé seulement s'il bat le modèle de base avec les mots du serveur comme indices. Les "
        "mots toujours mal entendus de la même façon sont réécrits aussitôt.\n"
        "\n"
        "**Ce qui est stocké**\n"
        "L'audio de ce qui a été sous-titré (pour que le modèle en apprenne), les sous-titres, vos corrections "
        "avec votre identifiant, le vocabulaire et les réglages du serveur, sur la machine de ce bot. "
        "{retention}\n"
        "\n"
        "**Oublier**\n"
        "`/forget` supprime, après confirmation, vos corrections, les sous-titres demandés, l'audio que vous "
        "seul avez publié et les mots proposés par vos corrections ; les versions du modèle entraînées sur vos "
        "corrections sont retirées : elles ne sous-titrent plus jamais.\n"
        "`/privacy` indique si ce serveur entraîne son modèle sur les notes vocales et corrections, et vous "
        "permet d'accepter ou de refuser ; votre choix couvre vos enregistrements même quand quelqu'un d'autre "
        "les corrige.\n"
        "\n"
        "Modérateurs (Gérer le serveur) : `/retrain`, `/rollback`, `/settings`, `/vocabmod`, `/corrections`, "
        "`/spelling`. Tout le monde : `/model show`, `/vocab list|suggest`, `/privacy`, `/help`."
    ),
    "help.retention.forever": (
        "L'audio est gardé jusqu'à ce que vous ou un modérateur le supprimiez (ce serveur le garde sans limite "
        "de durée)."
    ),
    "help.retention.days": "L'audio est supprimé après {days} jours ; le texte des sous-titres reste.",
    "forget.corrections": "{count} corrections",
    "forget.corrections.one": "{count} correction",
    "forget.captions": "{count} sous-titres",
    "forget.captions.one": "{count} sous-titre",
    "forget.recordings": "{count} enregistrements",
    "forget.recordings.one": "{count} enregistrement",
    "forget.files": "{count} fichiers audio stockés",
    "forget.files.one": "{count} fichier audio stocké",
    "forget.terms": "{count} termes du vocabulaire",
    "forget.terms.one": "{count} terme du vocabulaire",
    "forget.pairs": "{count} paires",
    "forget.pairs.one": "{count} paire",
    "forget.prompt": (
        "Ceci supprime vos {corrections} sur ce serveur, les sous-titres que vous avez demandés, les "
        "enregistrements que vous seul avez publiés (avec les sous-titres et paires d'entraînement qui en "
        "viennent, quel qu'en soit l'auteur), votre lien aux enregistrements publiés aussi par d'autres, et les "
        "termes proposés par vos corrections. Les versions du modèle entraînées sur vos données sont retirées : "
        "elles ne sous-titrent plus jamais (le modèle de base ou une version plus ancienne prend le relais) et "
        "leurs poids sont supprimés dès qu'elles ne sont plus actives. C'est irréversible."
    ),
    "forget.done": (
        "🗑️ Fait : supprimé {corrections}, {captions} que vous aviez demandés, {recordings} que vous seul aviez "
        "publiés ({files}) et {terms} proposés par vos corrections."
    ),
    "forget.shared": (
        "Vous avez été retiré de {recordings} publiés aussi par d'autres ; l'audio reste pour eux."
    ),
    "forget.withdrawn": (
        "Retirées : les versions du modèle entraînées sur vos données ne sous-titrent plus jamais : {versions}. "
        "Les sous-titres utilisent le modèle de base (ou, après /rollback, une version plus ancienne qui n'en a "
        "pas appris) jusqu'à ce qu'un modérateur réentraîne sans vos données ; leurs poids sont supprimés dès "
        "qu'elles ne sont plus actives."
    ),
    "forget.no_model": "Aucune version du modèle de ce serveur n'a été entraînée sur vos données.",
    "forget.unrecorded": (
        "Les versions du modèle faites avant l'enregistrement des données d'entraînement peuvent aussi les "
        "contenir : {versions}. Elles restent jusqu'à ce qu'un modérateur revienne en arrière ou réentraîne."
    ),
    "forget.cancelled": "Rien n'a été supprimé.",
    "forget.confirm": "Supprimer mes données",
    "confirm.cancel": "Annuler",
    "confirm.not_yours": "Ce choix appartient à quelqu'un d'autre.",
    "vocab.suggested": "Merci ! Proposé : {terms} ; un modérateur l'examine avec /vocabmod review.",
    "vocab.suggested_none": (
        "Ces termes sont déjà dans le vocabulaire, en attente d'examen, ou ont été rejetés."
    ),
    "error.not_suggester": (
        "Seuls les membres ayant le rôle <@&{role}> peuvent proposer des termes sur ce serveur ; rien n'a été "
        "enregistré."
    ),
    "error.suggest_rate": (
        "Vous avez proposé des termes {limit} fois dans la dernière heure, le maximum ; réessayez dans {count} "
        "minutes. Rien n'a été ajouté."
    ),
    "error.suggest_rate.one": (
        "Vous avez proposé des termes {limit} fois dans la dernière heure, le maximum ; réessayez dans {count} "
        "minute. Rien n'a été ajouté."
    ),
    "error.proposals_full": (
        "{limit} termes proposés attendent déjà un examen, le maximum ; un modérateur les examine avec "
        "/vocabmod review ; rien n'a été ajouté."
    ),
    "error.proposals_full_kept": (
        "{limit} termes proposés attendent déjà un examen, le maximum ; un modérateur les examine avec "
        "/vocabmod review ; {added} des vôtres ont été ajoutés avant."
    ),
    "error.no_terms": "Indiquez au moins un terme.",
    "error.term_too_long": "« {term}… » dépasse {limit} caractères.",
    "correction.note.not_training": (
        "Elle corrige seulement ces sous-titres : ce serveur ne s'en sert pas pour l'entraînement (son réglage "
        "d'entraînement, ou le choix du correcteur ou de l'auteur dans /privacy)."
    ),
    "correction.note.unrelated": (
        "Elle corrige seulement ces sous-titres : elle n'a presque aucun mot en commun avec ce qui a été "
        "entendu ({shared:.0%}), donc elle n'apprend rien au modèle (une correction dans une autre langue, ou "
        "d'un autre extrait ?)."
    ),
    "correction.note.replaces": (
        "Elle remplace la correction précédente de ces sous-titres par un autre membre : seule la plus récente "
        "sert à l'entraînement."
    ),
    "correction.note.proposals_full": (
        "{limit} termes proposés attendent déjà l'examen d'un modérateur, donc aucun autre n'a été proposé."
    ),
    "error.correction_empty": "La correction est vide ; envoyez les mots corrigés des sous-titres.",
    "error.vocabulary_full": (
        "Le vocabulaire est plein ({limit} termes) ; retirez-en avec /vocabmod remove avant d'en approuver "
        "d'autres. Rien n'a été modifié."
    ),
    "media.too_long": "Le média dure {minutes} minutes ; la limite est de {limit} minutes.",
    "media.too_big": "Le média dépasse la limite de {limit} Mo.",
    "media.too_slow": "Le téléchargement a pris plus de {seconds} s ; réessayez.",
    "media.playlist": "Les playlists ne sont pas sous-titrées ; donnez le lien d'une seule vidéo.",
    "media.live": (
        "Les directs ne peuvent pas être sous-titrés ; réessayez quand l'enregistrement sera disponible."
    ),
    "media.stream_only": (
        "Le média n'est proposé qu'en flux (HLS ou DASH), qui n'est pas téléchargé ; donnez le lien d'un "
        "fichier simple."
    ),
    "media.private_address": "Le lien mène à une adresse privée ; ces liens sont refusés.",
    "media.host_silent": "L'hébergeur du média ne répond plus ; réessayez plus tard.",
    "media.private_video": "La vidéo est privée ; seules les vidéos publiques peuvent être sous-titrées.",
    "media.unavailable": "La vidéo n'est pas disponible (supprimée, privée ou mauvais lien).",
    "media.no_video": "Aucune vidéo trouvée à ce lien.",
    "media.not_readable": "{name} n'est pas un fichier audio ou vidéo lisible.",
    "media.no_audio_track": "{name} n'a pas de piste audio.",
    "media.not_decodable": (
        "{name} n'a pas pu être décodé comme audio ; envoyez un format audio ou vidéo courant."
    ),
    "media.host_not_found": "L'hôte {host} est introuvable ; vérifiez le lien.",
    "button.correct": "Corriger",
    "button.get_vtt": "Obtenir le .vtt",
    "button.caption": "Sous-titrer",
    "modal.title": "Corriger les sous-titres",
    "modal.field": "Transcription",
    "modal.field_part": "Transcription, partie {part} sur {parts}",
    "link.prompt": "🔗 Des sous-titres pour ce lien ?",
    "vocab.added": "Ajouté : {terms}.",
    "vocab.removed": "Retiré : {terms}.",
    "vocab.already_in": "{terms} : déjà dans le vocabulaire.",
    "vocab.not_in": "{terms} : pas dans le vocabulaire.",
    "review.none": "Rien n'attend d'examen : chaque terme proposé a été approuvé ou rejeté.",
    "review.header": "**{count} termes proposés à examiner**",
    "review.header.one": "**{count} terme proposé à examiner**",
    "review.explain": (
        "Les termes approuvés deviennent des indices pour les nouveaux sous-titres et sont évalués après un "
        "réentraînement."
    ),
    "review.more": "{more} de plus après ceux-ci ; relancez /vocabmod review.",
    "review.approved": "✅ {term} approuvé : les nouveaux sous-titres l'utilisent désormais comme indice.",
    "review.rejected": "🚫 {term} rejeté : les corrections ne le proposeront plus.",
    "review.nothing_left": "Plus rien n'attendait d'examen ; rien n'a été modifié.",
    "review.rejected_all": (
        "🚫 {count} termes proposés rejetés ({names}) ; les corrections ne les proposeront plus."
    ),
    "review.rejected_all.one": (
        "🚫 {count} terme proposé rejeté ({names}) ; les corrections ne le proposeront plus."
    ),
    "rollback.base": "↩️ Retour en arrière : ce serveur utilise maintenant le modèle de base ({base}).",
    "rollback.version": "↩️ Retour en arrière : ce serveur utilise de nouveau le modèle v{version}.",
    "error.too_few_pairs": (
        "Ce serveur a {count} paires d'entraînement ; un réentraînement en demande au moins {needed}. "
        "Corrigez plus de sous-titres (répondez aux sous-titres avec les bons mots) et réessayez."
    ),
    "error.too_few_pairs.one": (
        "Ce serveur a {count} paire d'entraînement ; un réentraînement en demande au moins {needed}. "
        "Corrigez plus de sous-titres (répondez aux sous-titres avec les bons mots) et réessayez."
    ),
    "retrain.asked_by": " (demandé par <@{user}>)",
    "retrain.finished": "🧠 Réentraînement terminé{who}.",
    "retrain.failed": "⚠️ Le réentraînement a échoué{who} : {reason}",
    "retrain.no_reason": "aucune raison n'a été enregistrée",
    "button.approve": "Approuver {term}",
    "button.reject": "Rejeter {term}",
    "button.reject_all": "Tout rejeter",
    "button.reject_all_n": "Rejeter les {waiting} en attente",
    "restart.progress": "⚠️ Interrompu : j'ai redémarré avant que ces sous-titres soient finis.",
    "restart.voice": (
        "<@{user}> J'ai redémarré pendant le sous-titrage de votre message vocal{shown}, il n'a donc pas été "
        "fini. Publiez-le de nouveau."
    ),
    "restart.file": (
        "<@{user}> J'ai redémarré pendant le sous-titrage de votre fichier{shown}, il n'a donc pas été fini. "
        "Publiez-le de nouveau."
    ),
    "restart.link": (
        "<@{user}> J'ai redémarré pendant le sous-titrage de votre lien{shown}, il n'a donc pas été fini. "
        "Relancez /caption."
    ),
    "restart.request": (
        "<@{user}> J'ai redémarré pendant le sous-titrage de votre demande{shown}, elle n'a donc pas été finie. "
        "Relancez /caption."
    ),
    "settings.label.autocaption": "Autocaption",
    "settings.label.link_buttons": "Boutons Caption sur les liens",
    "settings.label.on_request": "Sous-titres sur demande",
    "settings.follows": "↩️ {label} dans {channel} suit de nouveau le réglage du serveur.",
    "settings.where.channel": "dans {channel}",
    "settings.where.server": "sur ce serveur",
    "settings.on.autocaption": "🎙️ Les messages vocaux et fichiers audio/vidéo publiés {where} seront sous-titrés.",
    "settings.off.autocaption": (
        "🔇 Les messages vocaux et fichiers publiés {where} ne seront plus sous-titrés ; /caption et la "
        "commande de message Caption fonctionnent toujours."
    ),
    "settings.on.link_buttons": (
        "🔗 Les messages {where} avec un lien que je peux sous-titrer auront un bouton Caption ; rien n'est "
        "téléchargé avant qu'on appuie dessus."
    ),
    "settings.off.link_buttons": "🔗 Les liens publiés {where} n'auront plus de bouton Caption.",
    "settings.on.on_request": (
        "💬 Les membres qui peuvent publier {where} peuvent y sous-titrer des messages avec la commande de "
        "message Caption et les boutons Caption."
    ),
    "settings.off.on_request": (
        "🚫 La commande de message Caption et les boutons Caption sont refusés {where} ; l'autocaption et "
        "/caption suivent leurs propres réglages."
    ),
    "settings.language.auto": (
        "🌐 Les sous-titres de ce serveur détecteront la langue parlée ; /caption language: a toujours la "
        "priorité."
    ),
    "settings.language.code": (
        "🌐 Les sous-titres de ce serveur seront faits en '{code}' ; /caption language: a toujours la priorité."
    ),
    "settings.replies.text": (
        "💬 Les sous-titres des médias jusqu'à {duration} seront publiés en texte simple, avec un bouton "
        "« Obtenir le .vtt » pour le fichier minuté ; les médias plus longs ont toujours le fichier."
    ),
    "settings.replies.file": (
        "📎 Les sous-titres seront publiés avec le fichier de sous-titres joint et un aperçu du texte."
    ),
    "settings.line.replies.text": "Réponses : texte simple pour les médias courts, le .vtt sur demande",
    "settings.line.replies.file": "Réponses : le fichier de sous-titres joint (par défaut)",
    "settings.line.language.none": "Langue : celle du bot par défaut (non réglée pour ce serveur)",
    "settings.line.language.auto": "Langue : détectée pour chaque sous-titre (auto)",
    "settings.line.language.code": "Langue : {code}",
    "settings.value.on": "activé",
    "settings.value.off": "désactivé",
    "settings.who_corrects.everyone": "tout le monde",
    "settings.who_corrects.role": "les membres ayant le rôle <@&{role}>, et les modérateurs",
    "settings.correctors": "✏️ Peuvent désormais corriger les sous-titres sur ce serveur : {who}.",
    "settings.who_moderates.base": "les membres ayant la permission Gérer le serveur",
    "settings.who_moderates.role": (
        "les membres ayant la permission Gérer le serveur et les membres ayant le rôle <@&{role}>"
    ),
    "settings.moderators": "🛡️ Peuvent désormais utiliser ici les commandes de modération du bot : {who}.",
    "settings.show.title": "**Réglages des sous-titres**",
    "settings.show.autocaption": "Autocaption : {value} (par défaut du serveur)",
    "settings.show.link_buttons": "Boutons Caption sur les liens : {value} (par défaut du serveur)",
    "settings.show.on_request": (
        "Sous-titres sur demande (commande de message Caption, boutons) : {value} (par défaut du serveur)"
    ),
    "settings.show.correctors": "Qui peut corriger les sous-titres : {who}",
    "settings.show.moderators": "Qui modère : {who}",
    "settings.show.no_channels": "Aucun salon n'a ses propres réglages.",
    "settings.channel.autocaption": "autocaption {value}",
    "settings.channel.link_buttons": "boutons Caption {value}",
    "settings.channel.on_request": "sous-titres sur demande {value}",
    "settings.training_hint": "{mode} Les membres voient et changent leur choix avec /privacy.",
    "error.default_needs_channel": (
        "'default' fait suivre à un salon le réglage du serveur ; indiquez un salon avec."
    ),
    "vocab.list.empty": (
        "Le vocabulaire de ce serveur est vide. Proposez les mots de la communauté avec /vocab suggest."
    ),
    "vocab.list.head": "Vocabulaire de ce serveur ({count} termes) :",
    "vocab.list.head.one": "Vocabulaire de ce serveur ({count} terme) :",
    "vocab.list.more": " … et {rest} de plus",
    "retrain.progress.queued": (
        "🧠 Réentraînement (tâche {job}) en file : en attente de l'entraîneur. Je publierai les résultats ici."
    ),
    "retrain.progress.running": "en cours",
    "retrain.progress.line": (
        "🧠 Réentraînement (tâche {job}) : {stage} · {percent} %{left}. Je publierai les résultats ici une fois "
        "fini."
    ),
    "retrain.progress.under_a_minute": " · moins d'une minute restante",
    "retrain.progress.minutes_left": " · environ {minutes} min restantes",
    "retrain.progress.finished": (
        "🧠 Réentraînement (tâche {job}) terminé · 100 %. Les résultats sont dans le message ci-dessous."
    ),
    "retrain.progress.failed": (
        "⚠️ Réentraînement (tâche {job}) échoué ; la raison est dans le message ci-dessous."
    ),
    "audit.none": "Aucune correction ne correspond.",
    "audit.head": "**Corrections** (les plus récentes d'abord, {shown} sur {total} sur ce serveur)",
    "audit.forgotten": "quelqu'un qui a utilisé /forget",
    "audit.row": "`#{id}` sous-titre {caption}, par {who} {when}, {pairs} paire(s) : {text}",
    "audit.more": "… et {more} de plus ; affinez avec l'option user ou caption.",
    "audit.removed": (
        "🗑️ Correction #{id} retirée avec ses {pairs} paire(s) d'entraînement ; le prochain /retrain ne les "
        "utilisera pas. Un réentraînement utilise la correction la plus récente de chaque sous-titre : si ce "
        "sous-titre avait été corrigé avant, les paires de la correction précédente comptent de nouveau (voir "
        "/corrections list caption:). Ce serveur a maintenant {total} paire(s) pour le prochain /retrain."
    ),
    "spelling.none": (
        "Pas encore de règles d'orthographe. Elles s'apprennent quand les corrections rectifient sans cesse les "
        "mêmes mots."
    ),
    "spelling.head": "**Règles d'orthographe** (appliquées aussitôt aux nouveaux sous-titres)",
    "spelling.rule": "• {heard} → {term} ({captions} sous-titres)",
    "spelling.more": "… et {more} de plus",
    "spelling.removed": (
        "🗑️ « {heard} » n'est plus remplacé par {terms} dans les nouveaux sous-titres, et les corrections ne "
        "l'apprendront plus."
    ),
    "error.managers_only": "Seuls les membres ayant la permission Gérer le serveur peuvent {action}.",
    "error.moderators_only_role": (
        "Seuls les membres ayant la permission Gérer le serveur ou le rôle <@&{role}> peuvent {action}."
    ),
    "action.change_settings": "modifier les réglages des sous-titres",
    "action.see_settings": "voir les réglages des sous-titres",
    "action.change_vocabulary": "modifier le vocabulaire",
    "action.review_vocabulary": "examiner le vocabulaire",
    "action.see_corrections": "voir les corrections",
    "action.remove_corrections": "retirer des corrections",
    "action.see_spelling": "voir les règles d'orthographe",
    "action.remove_spelling": "retirer des règles d'orthographe",
    "action.rollback": "revenir au modèle précédent",
    "action.retrain": "lancer un réentraînement",
    "action.choose_moderators": "choisir le rôle des modérateurs",
    "model.never": "jamais",
    "model.serving": "**En service** {plan} (base = {base}).",
    "model.why": "Pourquoi : {reason}.",
    "model.none": "Pas encore de modèle réentraîné.",
    "model.latest": "Dernier modèle adopté : **v{version}**, {when}.",
    "model.scores": "Sur {words} mots de test : {scores}",
    "model.withdrawn": (
        "v{version} est retiré (un membre dont les données l'ont entraîné a utilisé /forget) : le modèle de "
        "base sous-titre jusqu'à ce qu'un modérateur réentraîne ou revienne en arrière."
    ),
    "model.history": "**Historique** (le plus récent d'abord) :",
    "model.withdrawn_mark": " (retiré par /forget)",
    "model.older": "… et {count} versions plus anciennes",
    "error.asker_cannot_post": (
        "Vous ne pouvez pas envoyer de messages dans ce salon, donc je n'y publierai pas de sous-titres pour "
        "vous ; rien n'a été enregistré."
    ),
    "error.requests_off": (
        "Les sous-titres sur demande sont désactivés dans ce salon (/settings requests d'un modérateur) ; rien "
        "n'a été enregistré."
    ),
    "error.link_message_gone": "Ce message n'existe plus, son lien ne peut donc plus être sous-titré.",
    "retrain.no_attach": (
        "(J'ai besoin ici de la permission Joindre des fichiers pour publier la courbe d'entraînement.)"
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
