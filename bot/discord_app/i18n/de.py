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
        ".vtt, oder drücke Correct."
    ),
    "caption.hint_plain": (
        "-# Falsche Wörter? Antworte auf diese Nachricht mit dem korrigierten Text oder drücke Correct. "
        "Get .vtt: die Untertiteldatei mit Zeiten."
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
