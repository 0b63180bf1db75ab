"""Español. Keys and English originals: en.py (messages) and the cogs' command decorators (COMMANDS)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "privacy.mode.off": (
        "Este servidor no entrena ningún modelo: los subtítulos y las correcciones solo se guardan para mostrar "
        "y corregir subtítulos."
    ),
    "privacy.mode.opt_out": (
        "Este servidor entrena su propio modelo de subtítulos con las notas de voz y correcciones de los "
        "miembros, salvo las de quienes se han excluido."
    ),
    "privacy.mode.opt_in": (
        "Este servidor entrena su propio modelo de subtítulos solo con las notas de voz y correcciones de los "
        "miembros que han aceptado."
    ),
    "privacy.choice.in": "Has aceptado.",
    "privacy.choice.out": "Te has excluido.",
    "privacy.choice.none": "No has elegido, así que se te aplica la configuración del servidor.",
    "privacy.trains": (
        "Tus grabaciones y correcciones pueden ser datos de entrenamiento del modelo de este servidor. "
        "Exclúyete con `/privacy my_training: out`."
    ),
    "privacy.does_not_train": (
        "Tus grabaciones y correcciones no se usan para entrenar, aunque otra persona corrija tu grabación."
    ),
    "privacy.opt_in_hint": " Acepta con `/privacy my_training: in`.",
    "privacy.forget": "`/forget` borra tus correcciones, subtítulos y grabaciones en este servidor.",
    "privacy.changed": "Tu elección ahora es: {choice}.",
    "retrain.queued": (
        "🧠 Reentrenamiento en cola (tarea {job_id}) con {pairs} pares de entrenamiento. Cada grabación la "
        "juzga un modelo que nunca la oyó, frente al modelo base con las palabras de este servidor como pistas; "
        "se usa el mejor. Publicaré aquí los resultados cuando termine (normalmente en unos minutos)."
    ),
    "error.dm": "Los subtítulos solo funcionan en servidores; usa mis comandos en un canal del servidor.",
}

COMMANDS: dict[str, str] = {
    "caption": "subtitular",
    "Caption a video link or an audio/video file": "Subtitular un enlace de vídeo o un archivo de audio/vídeo",
    "help": "ayuda",
    "What this bot does, how to correct it, what it stores": (
        "Qué hace este bot, cómo corregirlo, qué guarda"
    ),
    "privacy": "privacidad",
    "See or change whether your voice notes and corrections train this server's model": (
        "Ver o cambiar si tus notas de voz y correcciones entrenan el modelo de este servidor"
    ),
    "forget": "olvidar",
    "Delete your corrections, captions and recordings in this server": (
        "Borrar tus correcciones, subtítulos y grabaciones en este servidor"
    ),
    "retrain": "reentrenar",
    "Go back to the previous model (moderators)": "Volver al modelo anterior (moderadores)",
    "Show the vocabulary": "Mostrar el vocabulario",
}
