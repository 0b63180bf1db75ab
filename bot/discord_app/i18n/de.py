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
