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
    "progress.queued": "⏳ En cola…",
    "progress.place": "⏳ En cola ({ordinal} puesto: {ahead})…",
    "progress.nobody_ahead": "nadie delante de ti",
    "progress.ahead": "{count} delante de ti",
    "progress.downloading": "⬇️ Descargando",
    "progress.decoding": "🎛️ Decodificando el audio",
    "progress.transcribing": "✍️ Transcribiendo",
    "progress.done": "✅ Hecho",
    "caption.header": "📝 **Subtítulos** · {title} · {duration} · {model}",
    "caption.voice_message": "mensaje de voz",
    "caption.base_model": "modelo base",
    "caption.model": "modelo {version}",
    "caption.no_speech": "*(no se detectó habla)*",
    "caption.hint": (
        "-# ¿Palabras incorrectas? Responde a este mensaje con el texto corregido o un .vtt editado, o pulsa "
        "Correct."
    ),
    "caption.hint_plain": (
        "-# ¿Palabras incorrectas? Responde a este mensaje con el texto corregido, o pulsa Correct. Get .vtt: "
        "el archivo de subtítulos con tiempos."
    ),
    "caption.teaches": (
        "-# Las correcciones de estos subtítulos pueden entrenar el modelo de este servidor (ver /privacy)."
    ),
    "caption.asked": "🎙️ Subtitulando {link}; los subtítulos serán una respuesta a ese mensaje.",
    "correction.saved": "✅ ¡Gracias! Se guardaron {count} pares de entrenamiento de tu corrección.",
    "correction.saved.one": "✅ ¡Gracias! Se guardó {count} par de entrenamiento de tu corrección.",
    "correction.enough": (
        "Este servidor tiene {total} pares, suficientes para que un moderador ejecute /retrain."
    ),
    "correction.tally": "Este servidor tiene {total} de los {needed} pares necesarios para el próximo /retrain.",
    "correction.proposed": "Propuesto para el vocabulario (un moderador lo revisa): {terms}.",
    "error.generic": "Algo salió mal por nuestra parte; quedó registrado.",
    "error.outdated": (
        "Este comando cambió desde que Discord lo cargó; recarga Discord e inténtalo de nuevo."
    ),
    "error.busy": "Estoy ocupado con otros subtítulos; inténtalo de nuevo en un minuto.",
    "error.user_rate": (
        "Has pedido {limit} subtítulos en el último minuto, el máximo permitido; inténtalo de nuevo en {count} "
        "segundos."
    ),
    "error.user_rate.one": (
        "Has pedido {limit} subtítulos en el último minuto, el máximo permitido; inténtalo de nuevo en {count} "
        "segundo."
    ),
    "error.guild_rate": (
        "Este servidor ha pedido {limit} subtítulos en el último minuto, el máximo permitido; inténtalo de "
        "nuevo en {count} segundos."
    ),
    "error.guild_rate.one": (
        "Este servidor ha pedido {limit} subtítulos en el último minuto, el máximo permitido; inténtalo de "
        "nuevo en {count} segundo."
    ),
    "error.user_in_flight": (
        "Ya tienes {count} solicitudes de subtítulos en curso, el máximo a la vez ({limit}); inténtalo de nuevo "
        "cuando termine una."
    ),
    "error.user_in_flight.one": (
        "Ya tienes {count} solicitud de subtítulos en curso, el máximo a la vez ({limit}); inténtalo de nuevo "
        "cuando termine."
    ),
    "error.guild_queue_full": (
        "La cola de subtítulos de este servidor está llena: {count} solicitudes esperan o están en curso, el "
        "máximo ({limit}); inténtalo de nuevo cuando termine una."
    ),
    "error.audio_budget": (
        "Este servidor ha subtitulado {used} minutos de audio en la última hora; el límite es {limit} minutos "
        "por hora. Inténtalo de nuevo en {wait} minutos."
    ),
    "error.correction_rate": (
        "Has enviado {limit} correcciones en el último minuto, el máximo permitido; inténtalo de nuevo en "
        "{count} segundos. No se guardó nada."
    ),
    "error.correction_rate.one": (
        "Has enviado {limit} correcciones en el último minuto, el máximo permitido; inténtalo de nuevo en "
        "{count} segundo. No se guardó nada."
    ),
    "error.caption_gone": (
        "Esos subtítulos ya no existen (su audio se borró), así que no se pueden corregir; no se guardó nada."
    ),
    "error.caption_file_gone": "Esos subtítulos ya no existen (se borraron), así que no hay archivo.",
    "error.nothing_usable": (
        "Para corregir subtítulos, responde con el texto corregido o adjunta los subtítulos editados como "
        "archivo .vtt o .srt."
    ),
    "error.too_long_for_form": (
        "Esta transcripción es demasiado larga para el formulario de corrección; descarga el archivo de "
        "subtítulos, corrígelo y responde al mensaje de los subtítulos con el .vtt editado adjunto."
    ),
    "error.not_corrector": (
        "Solo los miembros con el rol <@&{role}> pueden corregir subtítulos en este servidor; no se guardó "
        "nada."
    ),
    "error.link_or_file": "Indica un enlace o un archivo para subtitular (uno de los dos).",
    "error.not_media_file": (
        "{name} no es un archivo de audio o vídeo; adjunta audio, vídeo o un mensaje de voz."
    ),
    "error.not_a_link": "'{link}' no es un enlace; pega la dirección completa del vídeo (https://…).",
    "error.not_media_posted": (
        "{names} no es audio ni vídeo; subtitulo mensajes de voz y archivos de audio y vídeo."
    ),
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
