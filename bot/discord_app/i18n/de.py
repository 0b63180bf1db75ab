"""Deutsch. Keys and English originals: en.py (messages) and the cogs' command decorators (COMMANDS)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "privacy.mode.off": (
        "Dieser Server trainiert kein Modell: Untertitel und Korrekturen werden nur gespeichert, um Untertitel "
        "anzuzeigen und zu korrigieren."
    ),
    "privacy.mode.opt_out": (
        "Dieser Server trainiert sein eigenes Untertitelmodell mit den Sprachnachrichten und Korrekturen der "
        "Mitglieder, außer denen, die widersprochen haben."
    ),
    "privacy.mode.opt_in": (
        "Dieser Server trainiert sein eigenes Untertitelmodell nur mit den Sprachnachrichten und Korrekturen "
        "von Mitgliedern, die zugestimmt haben."
    ),
    "privacy.choice.in": "Du hast zugestimmt.",
    "privacy.choice.out": "Du hast widersprochen.",
    "privacy.choice.none": "Du hast nichts gewählt, daher gilt für dich die Einstellung des Servers.",
    "privacy.trains": (
        "Deine Aufnahmen und Korrekturen können Trainingsdaten für das Modell dieses Servers werden. "
        "Widersprechen mit `/privacy my_training: out`."
    ),
    "privacy.does_not_train": (
        "Deine Aufnahmen und Korrekturen werden keine Trainingsdaten, auch nicht, wenn jemand anderes deine "
        "Aufnahme korrigiert."
    ),
    "privacy.opt_in_hint": " Zustimmen mit `/privacy my_training: in`.",
    "privacy.forget": "`/forget` löscht deine Korrekturen, Untertitel und Aufnahmen auf diesem Server.",
    "privacy.changed": "Deine Wahl ist jetzt: {choice}.",
    "retrain.queued": (
        "🧠 Neues Training eingereiht (Auftrag {job_id}) mit {pairs} Trainingspaaren. Jede Aufnahme wird von "
        "einem Modell bewertet, das sie nie gehört hat, gegen das Basismodell mit den Wörtern dieses Servers "
        "als Hinweis; das bessere wird verwendet. Ich poste die Ergebnisse hier, sobald es fertig ist "
        "(meist nach wenigen Minuten)."
    ),
    "error.dm": "Untertitel gibt es nur auf Servern; nutze meine Befehle in einem Serverkanal.",
    "progress.queued": "⏳ In der Warteschlange…",
    "progress.place": "⏳ In der Warteschlange ({ordinal} Platz: {ahead})…",
    "progress.nobody_ahead": "niemand vor dir",
    "progress.ahead": "{count} vor dir",
    "progress.downloading": "⬇️ Wird heruntergeladen",
    "progress.decoding": "🎛️ Audio wird dekodiert",
    "progress.transcribing": "✍️ Wird transkribiert",
    "progress.done": "✅ Fertig",
    "caption.header": "📝 **Untertitel** · {title} · {duration} · {model}",
    "caption.voice_message": "Sprachnachricht",
    "caption.base_model": "Basismodell",
    "caption.model": "Modell {version}",
    "caption.no_speech": "*(keine Sprache erkannt)*",
    "caption.hint": (
        "-# Falsche Wörter? Antworte auf diese Nachricht mit dem korrigierten Text oder einer bearbeiteten "
        ".vtt, oder drücke Korrigieren."
    ),
    "caption.hint_plain": (
        "-# Falsche Wörter? Antworte auf diese Nachricht mit dem korrigierten Text oder drücke Korrigieren. "
        ".vtt holen: die Untertiteldatei mit Zeiten."
    ),
    "caption.teaches": "-# Korrekturen dieser Untertitel können das Modell dieses Servers trainieren (siehe /privacy).",
    "caption.asked": "🎙️ Untertitle {link}; die Untertitel kommen als Antwort darauf.",
    "correction.saved": "✅ Danke! {count} Trainingspaare aus deiner Korrektur gespeichert.",
    "correction.saved.one": "✅ Danke! {count} Trainingspaar aus deiner Korrektur gespeichert.",
    "correction.enough": (
        "Dieser Server hat {total} Paare, genug, damit ein Moderator /retrain ausführen kann."
    ),
    "correction.tally": "Dieser Server hat {total} der {needed} Paare, die das nächste /retrain braucht.",
    "correction.proposed": "Für das Vokabular vorgeschlagen (ein Moderator prüft es): {terms}.",
    "error.generic": "Bei uns ist etwas schiefgelaufen; es wurde protokolliert.",
    "error.outdated": (
        "Dieser Befehl hat sich geändert, seit Discord ihn geladen hat; lade Discord neu und versuche es erneut."
    ),
    "error.busy": "Ich bin gerade mit anderen Untertiteln beschäftigt; versuche es in einer Minute erneut.",
    "error.user_rate": (
        "Du hast in der letzten Minute {limit} Untertitel angefordert, mehr ist nicht erlaubt; versuche es in "
        "{count} Sekunden erneut."
    ),
    "error.user_rate.one": (
        "Du hast in der letzten Minute {limit} Untertitel angefordert, mehr ist nicht erlaubt; versuche es in "
        "{count} Sekunde erneut."
    ),
    "error.guild_rate": (
        "Dieser Server hat in der letzten Minute {limit} Untertitel angefordert, mehr ist nicht erlaubt; "
        "versuche es in {count} Sekunden erneut."
    ),
    "error.guild_rate.one": (
        "Dieser Server hat in der letzten Minute {limit} Untertitel angefordert, mehr ist nicht erlaubt; "
        "versuche es in {count} Sekunde erneut."
    ),
    "error.user_in_flight": (
        "Du hast schon {count} Untertitel-Anfragen in Arbeit, mehr sind gleichzeitig nicht erlaubt ({limit}); "
        "versuche es erneut, wenn eine fertig ist."
    ),
    "error.user_in_flight.one": (
        "Du hast schon {count} Untertitel-Anfrage in Arbeit, mehr sind gleichzeitig nicht erlaubt ({limit}); "
        "versuche es erneut, wenn eine fertig ist."
    ),
    "error.guild_queue_full": (
        "Die Untertitel-Warteschlange dieses Servers ist voll: {count} Anfragen warten oder sind in Arbeit, "
        "mehr fasst sie nicht ({limit}); versuche es erneut, wenn eine fertig ist."
    ),
    "error.audio_budget": (
        "Dieser Server hat in der letzten Stunde {used} Minuten Audio untertiteln lassen; die Grenze ist "
        "{limit} Minuten pro Stunde. Versuche es in {wait} Minuten erneut."
    ),
    "error.correction_rate": (
        "Du hast in der letzten Minute {limit} Korrekturen geschickt, mehr ist nicht erlaubt; versuche es in "
        "{count} Sekunden erneut. Nichts wurde gespeichert."
    ),
    "error.correction_rate.one": (
        "Du hast in der letzten Minute {limit} Korrekturen geschickt, mehr ist nicht erlaubt; versuche es in "
        "{count} Sekunde erneut. Nichts wurde gespeichert."
    ),
    "error.caption_gone": (
        "Diese Untertitel gibt es nicht mehr (ihr Audio wurde gelöscht), daher können sie nicht korrigiert "
        "werden; nichts wurde gespeichert."
    ),
    "error.caption_file_gone": "Diese Untertitel gibt es nicht mehr (sie wurden gelöscht), daher gibt es keine Datei.",
    "error.nothing_usable": (
        "Um Untertitel zu korrigieren, antworte mit dem korrigierten Text oder hänge die bearbeiteten "
        "Untertitel als .vtt- oder .srt-Datei an."
    ),
    "error.too_long_for_form": (
        "Dieses Transkript ist zu lang für das Korrekturformular; lade die Untertiteldatei herunter, korrigiere "
        "sie und antworte auf die Untertitel-Nachricht mit der bearbeiteten .vtt im Anhang."
    ),
    "error.not_corrector": (
        "Nur Mitglieder mit der Rolle <@&{role}> können auf diesem Server Untertitel korrigieren; nichts wurde "
        "gespeichert."
    ),
    "error.link_or_file": "Gib entweder einen Link oder eine Datei zum Untertiteln an (eins von beiden).",
    "error.not_media_file": (
        "{name} ist keine Audio- oder Videodatei; hänge Audio, Video oder eine Sprachnachricht an."
    ),
    "error.not_a_link": "'{link}' ist kein Link; füge die vollständige Adresse des Videos ein (https://…).",
    "error.not_media_posted": (
        "{names} ist weder Audio noch Video; ich untertitle Sprachnachrichten, Audio- und Videodateien."
    ),
    "help.body": (
        "**Caption-Bot** — untertitelt Sprachnachrichten, Audio-/Videodateien und Videolinks und lernt die "
        "Wörter dieses Servers aus euren Korrekturen.\n"
        "\n"
        "**Untertitel bekommen**\n"
        "• `/caption link:` oder `file:` — Untertitel als .vtt/.srt-Datei plus lesbarer Text.\n"
        "• Rechtsklick auf eine Nachricht → Apps → **Caption** — untertitelt jede Nachricht mit Audio, Video "
        "oder erlaubtem Link, auch ältere.\n"
        "• Sprachnachrichten und Dateien in Kanälen mit Autocaption: von selbst.\n"
        "• Links in Kanälen mit Caption-Buttons bekommen einen: drücke ihn für Untertitel.\n"
        "\n"
        "**Untertitel korrigieren**\n"
        "Antworte auf die Untertitel mit dem richtigen Text (oder einer bearbeiteten .vtt/.srt) oder drücke "
        "**Korrigieren**. Jede Korrektur wird Trainingsmaterial; `/retrain` (Moderatoren) macht daraus ein "
        "Modell für diesen Server, genutzt nur, wenn es das Basismodell mit den Wörtern des Servers als "
        "Hinweisen schlägt. Wörter, die das Modell immer gleich falsch "
        "hört, werden sofort umgeschrieben.\n"
        "\n"
        "**Was gespeichert wird**\n"
        "Das Audio des Untertitelten (damit das Modell daraus lernt), die Untertitel, deine Korrekturen mit "
        "deiner Nutzer-ID sowie Vokabular und Einstellungen des Servers, alles auf dem Rechner dieses Bots. "
        "{retention}\n"
        "\n"
        "**Vergessen**\n"
        "`/forget` löscht nach deiner Bestätigung deine Korrekturen, die von dir angefragten Untertitel, nur "
        "von dir gepostetes Audio und die von deinen Korrekturen vorgeschlagenen Wörter; mit deinen "
        "Korrekturen trainierte Modellversionen werden zurückgezogen und untertiteln nie wieder.\n"
        "`/privacy` zeigt, ob dieser Server sein Modell mit Sprachnachrichten und Korrekturen trainiert, und "
        "lässt dich zustimmen oder widersprechen; deine Wahl gilt für deine Aufnahmen, auch wenn jemand "
        "anderes sie korrigiert.\n"
        "\n"
        "Moderatoren (Server verwalten): `/retrain`, `/rollback`, `/settings`, `/vocabmod`, `/corrections`, "
        "`/spelling`. Alle: `/model show`, `/vocab list|suggest`, `/privacy`, `/help`."
    ),
    "help.retention.forever": (
        "Audio bleibt, bis du oder ein Moderator es löscht (dieser Server bewahrt es ohne Zeitgrenze auf)."
    ),
    "help.retention.days": "Audio wird nach {days} Tagen gelöscht; der Untertiteltext bleibt.",
    "forget.corrections": "{count} Korrekturen",
    "forget.corrections.one": "{count} Korrektur",
    "forget.captions": "{count} Untertitel",
    "forget.captions.one": "{count} Untertitel",
    "forget.recordings": "{count} Aufnahmen",
    "forget.recordings.one": "{count} Aufnahme",
    "forget.files": "{count} gespeicherte Audiodateien",
    "forget.files.one": "{count} gespeicherte Audiodatei",
    "forget.terms": "{count} Vokabular-Begriffe",
    "forget.terms.one": "{count} Vokabular-Begriff",
    "forget.pairs": "{count} Paare",
    "forget.pairs.one": "{count} Paar",
    "forget.prompt": (
        "Das löscht deine {corrections} auf diesem Server, die von dir angefragten Untertitel, die nur von dir "
        "geposteten Aufnahmen (mit den daraus gemachten Untertiteln und Trainingspaaren, egal von wem), deine "
        "Verbindung zu Aufnahmen, die auch andere gepostet haben, und die von deinen Korrekturen "
        "vorgeschlagenen Vokabular-Begriffe. Mit deinen Daten trainierte Modellversionen werden zurückgezogen: "
        "sie untertiteln nie wieder (das Basismodell oder eine ältere Version übernimmt), und ihre Gewichte "
        "werden gelöscht, sobald sie nicht mehr aktiv sind. Das lässt sich nicht rückgängig machen."
    ),
    "forget.done": (
        "🗑️ Erledigt: gelöscht wurden {corrections}, {captions}, die du angefragt hast, {recordings}, die nur "
        "du gepostet hattest ({files}), und {terms}, die deine Korrekturen vorgeschlagen haben."
    ),
    "forget.shared": (
        "Du wurdest aus {recordings} entfernt, die auch andere gepostet haben; das Audio bleibt für sie."
    ),
    "forget.withdrawn": (
        "Zurückgezogen: mit deinen Daten trainierte Modellversionen untertiteln nie wieder: {versions}. Die "
        "Untertitel nutzen das Basismodell (oder nach /rollback eine ältere Version, die nicht daraus gelernt "
        "hat), bis ein Moderator ohne deine Daten neu trainiert; ihre Gewichte werden gelöscht, sobald sie "
        "nicht mehr aktiv sind."
    ),
    "forget.no_model": "Keine Modellversion dieses Servers wurde mit deinen Daten trainiert.",
    "forget.unrecorded": (
        "Modellversionen von vor der Aufzeichnung der Trainingsdaten können sie auch enthalten: {versions}. "
        "Sie bleiben, bis ein Moderator zurückrollt oder neu trainiert."
    ),
    "forget.cancelled": "Es wurde nichts gelöscht.",
    "forget.confirm": "Meine Daten löschen",
    "confirm.cancel": "Abbrechen",
    "confirm.not_yours": "Diese Wahl gehört jemand anderem.",
    "vocab.suggested": "Danke! Vorgeschlagen: {terms}; ein Moderator prüft das mit /vocabmod review.",
    "vocab.suggested_none": (
        "Diese Begriffe sind schon im Vokabular, warten auf Prüfung oder wurden abgelehnt."
    ),
    "error.not_suggester": (
        "Nur Mitglieder mit der Rolle <@&{role}> können auf diesem Server Begriffe vorschlagen; nichts wurde "
        "gespeichert."
    ),
    "error.suggest_rate": (
        "Du hast in der letzten Stunde {limit}-mal Begriffe vorgeschlagen, mehr ist nicht erlaubt; versuche es "
        "in {count} Minuten erneut. Nichts wurde hinzugefügt."
    ),
    "error.suggest_rate.one": (
        "Du hast in der letzten Stunde {limit}-mal Begriffe vorgeschlagen, mehr ist nicht erlaubt; versuche es "
        "in {count} Minute erneut. Nichts wurde hinzugefügt."
    ),
    "error.proposals_full": (
        "Schon {limit} vorgeschlagene Begriffe warten auf Prüfung, mehr geht nicht; ein Moderator prüft sie "
        "mit /vocabmod review; nichts wurde hinzugefügt."
    ),
    "error.proposals_full_kept": (
        "Schon {limit} vorgeschlagene Begriffe warten auf Prüfung, mehr geht nicht; ein Moderator prüft sie "
        "mit /vocabmod review; {added} deiner Begriffe wurden vorher hinzugefügt."
    ),
    "error.no_terms": "Nenne mindestens einen Begriff.",
    "error.term_too_long": "'{term}…' ist länger als {limit} Zeichen.",
    "correction.note.not_training": (
        "Sie korrigiert nur diese Untertitel: dieser Server trainiert nicht damit (seine Trainingseinstellung "
        "oder die Wahl des Korrigierenden oder des Posters in /privacy)."
    ),
    "correction.note.unrelated": (
        "Sie korrigiert nur diese Untertitel: sie teilt fast keine Wörter mit dem Gehörten ({shared:.0%}), "
        "daher lernt das Modell nichts daraus (eine Korrektur in einer anderen Sprache oder zu einem anderen "
        "Clip?)."
    ),
    "correction.note.replaces": (
        "Sie ersetzt die frühere Korrektur dieser Untertitel durch ein anderes Mitglied: nur die neueste "
        "trainiert."
    ),
    "correction.note.proposals_full": (
        "Schon {limit} vorgeschlagene Begriffe warten auf die Prüfung durch einen Moderator, daher wurden keine "
        "weiteren vorgeschlagen."
    ),
    "error.correction_empty": "Die Korrektur ist leer; schick die korrigierten Wörter der Untertitel.",
    "error.vocabulary_full": (
        "Das Vokabular ist voll ({limit} Begriffe); entferne welche mit /vocabmod remove, bevor du weitere "
        "annimmst. Nichts wurde geändert."
    ),
    "media.too_long": "Das Medium ist {minutes} Minuten lang; die Grenze ist {limit} Minuten.",
    "media.too_big": "Das Medium ist größer als die Grenze von {limit} MB.",
    "media.too_slow": "Der Download dauerte länger als {seconds} s; versuche es erneut.",
    "media.playlist": "Playlists werden nicht untertitelt; verlinke ein einzelnes Video.",
    "media.live": (
        "Livestreams können nicht untertitelt werden; versuche es erneut, wenn die Aufzeichnung verfügbar ist."
    ),
    "media.stream_only": (
        "Das Medium gibt es nur als Stream (HLS oder DASH), der nicht heruntergeladen wird; verlinke eine "
        "normale Datei."
    ),
    "media.private_address": "Der Link führt zu einer privaten Adresse; solche Links werden abgelehnt.",
    "media.host_silent": "Der Medien-Host antwortet nicht mehr; versuche es später erneut.",
    "media.private_video": "Das Video ist privat; nur öffentliche Videos können untertitelt werden.",
    "media.unavailable": "Das Video ist nicht verfügbar (entfernt, privat oder ein falscher Link).",
    "media.no_video": "Unter diesem Link wurde kein Video gefunden.",
    "media.not_readable": "{name} ist keine lesbare Audio- oder Videodatei.",
    "media.no_audio_track": "{name} hat keine Tonspur.",
    "media.not_decodable": (
        "{name} konnte nicht als Audio dekodiert werden; schick ein gängiges Audio- oder Videoformat."
    ),
    "media.host_not_found": "Der Host {host} wurde nicht gefunden; prüfe den Link.",
    "button.correct": "Korrigieren",
    "button.get_vtt": ".vtt holen",
    "button.caption": "Untertiteln",
    "modal.title": "Untertitel korrigieren",
    "modal.field": "Transkript",
    "modal.field_part": "Transkript, Teil {part} von {parts}",
    "link.prompt": "🔗 Untertitel für diesen Link?",
    "vocab.added": "Hinzugefügt: {terms}.",
    "vocab.removed": "Entfernt: {terms}.",
    "vocab.already_in": "{terms}: schon im Vokabular.",
    "vocab.not_in": "{terms}: nicht im Vokabular.",
    "review.none": "Nichts wartet auf Prüfung: jeder vorgeschlagene Begriff wurde angenommen oder abgelehnt.",
    "review.header": "**{count} vorgeschlagene Begriffe zu prüfen**",
    "review.header.one": "**{count} vorgeschlagener Begriff zu prüfen**",
    "review.explain": (
        "Angenommene Begriffe werden Hinweise für neue Untertitel und nach einem Retrain bewertet."
    ),
    "review.more": "{more} weitere danach; führe /vocabmod review erneut aus.",
    "review.approved": "✅ {term} angenommen: neue Untertitel nutzen ihn ab jetzt als Hinweis.",
    "review.rejected": "🚫 {term} abgelehnt: Korrekturen schlagen ihn nicht wieder vor.",
    "review.nothing_left": "Es wartete nichts mehr auf Prüfung; nichts wurde geändert.",
    "review.rejected_all": (
        "🚫 {count} vorgeschlagene Begriffe abgelehnt ({names}); Korrekturen schlagen sie nicht wieder vor."
    ),
    "review.rejected_all.one": (
        "🚫 {count} vorgeschlagener Begriff abgelehnt ({names}); Korrekturen schlagen ihn nicht wieder vor."
    ),
    "rollback.base": "↩️ Zurückgerollt: dieser Server nutzt jetzt das Basismodell ({base}).",
    "rollback.version": "↩️ Zurückgerollt: dieser Server nutzt wieder Modell v{version}.",
    "error.too_few_pairs": (
        "Dieser Server hat {count} Trainingspaare; ein Retrain braucht mindestens {needed}. Korrigiere mehr "
        "Untertitel (antworte auf Untertitel mit den richtigen Wörtern) und versuche es erneut."
    ),
    "error.too_few_pairs.one": (
        "Dieser Server hat {count} Trainingspaar; ein Retrain braucht mindestens {needed}. Korrigiere mehr "
        "Untertitel (antworte auf Untertitel mit den richtigen Wörtern) und versuche es erneut."
    ),
    "retrain.asked_by": " (angefordert von <@{user}>)",
    "retrain.finished": "🧠 Retrain abgeschlossen{who}.",
    "retrain.failed": "⚠️ Retrain fehlgeschlagen{who}: {reason}",
    "retrain.no_reason": "es wurde kein Grund aufgezeichnet",
    "button.approve": "{term} annehmen",
    "button.reject": "{term} ablehnen",
    "button.reject_all": "Alle wartenden ablehnen",
    "button.reject_all_n": "Alle {waiting} wartenden ablehnen",
    "restart.progress": "⚠️ Unterbrochen: ich wurde neu gestartet, bevor diese Untertitel fertig waren.",
    "restart.voice": (
        "<@{user}> Ich wurde neu gestartet, während ich deine Sprachnachricht{shown} untertitelte, daher wurde "
        "sie nicht fertig. Bitte poste sie erneut."
    ),
    "restart.file": (
        "<@{user}> Ich wurde neu gestartet, während ich deine Datei{shown} untertitelte, daher wurde sie nicht "
        "fertig. Bitte poste sie erneut."
    ),
    "restart.link": (
        "<@{user}> Ich wurde neu gestartet, während ich deinen Link{shown} untertitelte, daher wurde er nicht "
        "fertig. Bitte führe /caption erneut aus."
    ),
    "restart.request": (
        "<@{user}> Ich wurde neu gestartet, während ich deine Anfrage{shown} untertitelte, daher wurde sie "
        "nicht fertig. Bitte führe /caption erneut aus."
    ),
    "settings.label.autocaption": "Autocaption",
    "settings.label.link_buttons": "Caption-Buttons an Links",
    "settings.label.on_request": "Untertitel auf Anfrage",
    "settings.follows": "↩️ {label} in {channel} folgt wieder der Servereinstellung.",
    "settings.where.channel": "in {channel}",
    "settings.where.server": "auf diesem Server",
    "settings.on.autocaption": "🎙️ Sprachnachrichten und Audio-/Videodateien, die {where} gepostet werden, werden untertitelt.",
    "settings.off.autocaption": (
        "🔇 Gepostete Sprachnachrichten und Dateien {where} werden nicht mehr untertitelt; /caption und der "
        "Nachrichtenbefehl Caption funktionieren weiter."
    ),
    "settings.on.link_buttons": (
        "🔗 Nachrichten {where} mit einem Link, den ich untertiteln kann, bekommen einen Caption-Button; "
        "heruntergeladen wird erst, wenn jemand ihn drückt."
    ),
    "settings.off.link_buttons": "🔗 Links, die {where} gepostet werden, bekommen keinen Caption-Button mehr.",
    "settings.on.on_request": (
        "💬 Mitglieder, die {where} posten dürfen, können dort Nachrichten mit dem Nachrichtenbefehl Caption und "
        "Caption-Buttons untertiteln."
    ),
    "settings.off.on_request": (
        "🚫 Der Nachrichtenbefehl Caption und Caption-Buttons werden {where} abgelehnt; Autocaption und "
        "/caption folgen ihren eigenen Einstellungen."
    ),
    "settings.language.auto": (
        "🌐 Untertitel auf diesem Server erkennen die gesprochene Sprache; /caption language: überschreibt das "
        "weiterhin."
    ),
    "settings.language.code": (
        "🌐 Untertitel auf diesem Server werden in '{code}' erstellt; /caption language: überschreibt das "
        "weiterhin."
    ),
    "settings.replies.text": (
        "💬 Untertitel von Medien bis {duration} Länge werden als reiner Text gepostet, mit einem Button "
        "„.vtt holen“ für die Datei mit Zeiten; längere Medien bekommen weiter die Untertiteldatei."
    ),
    "settings.replies.file": (
        "📎 Untertitel werden mit angehängter Untertiteldatei und einer Vorschau des Texts gepostet."
    ),
    "settings.line.replies.text": "Antworten: reiner Text für kurze Medien, die .vtt auf Anfrage",
    "settings.line.replies.file": "Antworten: die Untertiteldatei im Anhang (Standard)",
    "settings.line.language.none": "Sprache: Standard des Bots (für diesen Server nicht gesetzt)",
    "settings.line.language.auto": "Sprache: pro Untertitel erkannt (auto)",
    "settings.line.language.code": "Sprache: {code}",
    "settings.value.on": "an",
    "settings.value.off": "aus",
    "settings.who_corrects.everyone": "alle",
    "settings.who_corrects.role": "Mitglieder mit der Rolle <@&{role}> und Moderatoren",
    "settings.correctors": "✏️ Ab jetzt dürfen {who} auf diesem Server Untertitel korrigieren.",
    "settings.who_moderates.base": "Mitglieder mit der Berechtigung „Server verwalten“",
    "settings.who_moderates.role": (
        "Mitglieder mit der Berechtigung „Server verwalten“ und Mitglieder mit der Rolle <@&{role}>"
    ),
    "settings.moderators": "🛡️ Ab jetzt dürfen {who} hier die Moderatorbefehle des Caption-Bots ausführen.",
    "settings.show.title": "**Untertitel-Einstellungen**",
    "settings.show.autocaption": "Autocaption: {value} (Serverstandard)",
    "settings.show.link_buttons": "Caption-Buttons an Links: {value} (Serverstandard)",
    "settings.show.on_request": (
        "Untertitel auf Anfrage (Nachrichtenbefehl Caption, Buttons): {value} (Serverstandard)"
    ),
    "settings.show.correctors": "Wer Untertitel korrigieren darf: {who}",
    "settings.show.moderators": "Wer moderiert: {who}",
    "settings.show.no_channels": "Kein Kanal hat eigene Einstellungen.",
    "settings.channel.autocaption": "Autocaption {value}",
    "settings.channel.link_buttons": "Caption-Buttons {value}",
    "settings.channel.on_request": "Untertitel auf Anfrage {value}",
    "settings.training_hint": "{mode} Mitglieder sehen und ändern ihre Wahl mit /privacy.",
    "error.default_needs_channel": (
        "'default' lässt einen Kanal der Servereinstellung folgen; nenne dazu einen Kanal."
    ),
    "vocab.list.empty": (
        "Das Vokabular dieses Servers ist leer. Schlage die Wörter der Community mit /vocab suggest vor."
    ),
    "vocab.list.head": "Das Vokabular dieses Servers ({count} Begriffe):",
    "vocab.list.head.one": "Das Vokabular dieses Servers ({count} Begriff):",
    "vocab.list.more": " … und {rest} weitere",
    "retrain.progress.queued": (
        "🧠 Retrain (Job {job}) in der Warteschlange: wartet auf den Trainer. Ich poste die Ergebnisse hier."
    ),
    "retrain.progress.running": "läuft",
    "retrain.progress.line": (
        "🧠 Retrain (Job {job}): {stage} · {percent} %{left}. Ich poste die Ergebnisse hier, wenn es fertig ist."
    ),
    "retrain.progress.under_a_minute": " · weniger als eine Minute übrig",
    "retrain.progress.minutes_left": " · etwa {minutes} Min. übrig",
    "retrain.progress.finished": (
        "🧠 Retrain (Job {job}) abgeschlossen · 100 %. Die Ergebnisse stehen in der Nachricht darunter."
    ),
    "retrain.progress.failed": "⚠️ Retrain (Job {job}) fehlgeschlagen; der Grund steht in der Nachricht darunter.",
    "audit.none": "Keine Korrekturen passen.",
    "audit.head": "**Korrekturen** (neueste zuerst, {shown} von {total} auf diesem Server)",
    "audit.forgotten": "jemand, der /forget genutzt hat",
    "audit.row": "`#{id}` Untertitel {caption}, von {who} {when}, {pairs} Paar(e): {text}",
    "audit.more": "… und {more} weitere; grenze mit der Option user oder caption ein.",
    "audit.removed": (
        "🗑️ Korrektur #{id} mit ihren {pairs} Trainingspaar(en) entfernt; das nächste /retrain nutzt sie "
        "nicht. Ein Retrain nutzt die neueste Korrektur jedes Untertitels; wurde dieser schon vorher korrigiert, "
        "zählen die Paare der früheren Korrektur wieder (siehe /corrections list caption:). Dieser Server hat "
        "jetzt {total} Paar(e) für das nächste /retrain."
    ),
    "spelling.none": (
        "Noch keine Schreibregeln. Sie werden gelernt, wenn Korrekturen immer wieder dieselben Wörter "
        "berichtigen."
    ),
    "spelling.head": "**Schreibregeln** (sofort auf neue Untertitel angewandt)",
    "spelling.rule": "• {heard} → {term} ({captions} Untertitel)",
    "spelling.more": "… und {more} weitere",
    "spelling.removed": (
        "🗑️ '{heard}' wird in neuen Untertiteln nicht mehr durch {terms} ersetzt, und Korrekturen bringen es "
        "nicht wieder bei."
    ),
    "error.managers_only": "Nur Mitglieder mit der Berechtigung „Server verwalten“ können {action}.",
    "error.moderators_only_role": (
        "Nur Mitglieder mit der Berechtigung „Server verwalten“ oder der Rolle <@&{role}> können {action}."
    ),
    "action.change_settings": "die Untertitel-Einstellungen ändern",
    "action.see_settings": "die Untertitel-Einstellungen sehen",
    "action.change_vocabulary": "das Vokabular ändern",
    "action.review_vocabulary": "das Vokabular prüfen",
    "action.see_corrections": "die Korrekturen sehen",
    "action.remove_corrections": "Korrekturen entfernen",
    "action.see_spelling": "die Schreibregeln sehen",
    "action.remove_spelling": "Schreibregeln entfernen",
    "action.rollback": "das Modell zurückrollen",
    "action.retrain": "ein Retrain starten",
    "action.choose_moderators": "die Moderatorrolle wählen",
    "model.never": "nie",
    "model.serving": "**Im Einsatz** {plan} (Basis = {base}).",
    "model.why": "Warum: {reason}.",
    "model.none": "Noch kein neu trainiertes Modell.",
    "model.latest": "Zuletzt übernommenes Modell: **v{version}**, {when}.",
    "model.scores": "Auf {words} Testwörtern: {scores}",
    "model.withdrawn": (
        "v{version} ist zurückgezogen (ein Mitglied, mit dessen Daten es trainiert wurde, hat /forget genutzt): "
        "das Basismodell untertitelt, bis ein Moderator neu trainiert oder zurückrollt."
    ),
    "model.history": "**Verlauf** (neueste zuerst):",
    "model.withdrawn_mark": " (durch /forget zurückgezogen)",
    "model.older": "… und {count} ältere Versionen",
    "error.asker_cannot_post": (
        "Du kannst in diesem Kanal keine Nachrichten senden, also poste ich hier keine Untertitel für dich; "
        "nichts wurde gespeichert."
    ),
    "error.requests_off": (
        "Untertitel auf Anfrage sind in diesem Kanal ausgeschaltet (/settings requests eines Moderators); "
        "nichts wurde gespeichert."
    ),
    "error.link_message_gone": "Diese Nachricht gibt es nicht mehr, daher kann ihr Link nicht mehr untertitelt werden.",
    "retrain.no_attach": "(Ich brauche hier die Berechtigung „Dateien anhängen“, um die Trainingskurve zu posten.)",
}

COMMANDS: dict[str, str] = {
    "caption": "untertitel",
    "Caption a video link or an audio/video file": "Einen Videolink oder eine Audio-/Videodatei untertiteln",
    "help": "hilfe",
    "What this bot does, how to correct it, what it stores": (
        "Was dieser Bot tut, wie man ihn korrigiert, was er speichert"
    ),
    "privacy": "datenschutz",
    "See or change whether your voice notes and corrections train this server's model": (
        "Ansehen oder ändern, ob deine Sprachnachrichten und Korrekturen das Modell dieses Servers trainieren"
    ),
    "Your choice: in, out, or follow the server's setting": (
        "Deine Wahl: zustimmen, widersprechen oder der Servereinstellung folgen"
    ),
    "forget": "vergessen",
    "Delete your corrections, captions and recordings in this server": (
        "Deine Korrekturen, Untertitel und Aufnahmen auf diesem Server löschen"
    ),
    "retrain": "neu-trainieren",
    "The model this server uses, its scores and its history": (
        "Das Modell dieses Servers, seine Werte und sein Verlauf"
    ),
    "Go back to the previous model (moderators)": "Zum vorherigen Modell zurückkehren (Moderatoren)",
    "Show the vocabulary": "Das Vokabular anzeigen",
    "Add words the captions should spell right": "Wörter hinzufügen, die Untertitel richtig schreiben sollen",
    "Remove words from the vocabulary": "Wörter aus dem Vokabular entfernen",
}
