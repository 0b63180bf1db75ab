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
        "Corregir."
    ),
    "caption.hint_plain": (
        "-# ¿Palabras incorrectas? Responde a este mensaje con el texto corregido, o pulsa Corregir. Obtener .vtt: "
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
    "help.body": (
        "**Caption bot** — subtitula notas de voz, archivos de audio/vídeo y enlaces de vídeo, y aprende las "
        "palabras de este servidor con tus correcciones.\n"
        "\n"
        "**Obtener subtítulos**\n"
        "• `/caption link:` o `file:` — subtítulos como archivo .vtt/.srt más el texto legible.\n"
        "• Clic derecho en un mensaje → Aplicaciones → **Caption** — subtitula cualquier mensaje con audio, "
        "vídeo o un enlace permitido, también antiguos.\n"
        "• Las notas de voz y archivos publicados donde un moderador activó el autocaption se subtitulan solos.\n"
        "• Los enlaces publicados donde un moderador activó los botones Caption reciben uno: púlsalo.\n"
        "\n"
        "**Corregir subtítulos**\n"
        "Responde a los subtítulos con el texto correcto (o un .vtt/.srt editado), o pulsa **Corregir**. Cada "
        "corrección sirve para entrenar; `/retrain` (moderadores) crea con ellas un modelo para este "
        "servidor, que solo se usa si supera al modelo base con las palabras del servidor como pistas. Las palabras que el modelo oye mal siempre igual se "
        "corrigen al instante.\n"
        "\n"
        "**Qué se guarda**\n"
        "El audio de lo subtitulado (para que el modelo aprenda de él), los subtítulos, tus correcciones con "
        "tu id de usuario, y el vocabulario y los ajustes del servidor, todo en la máquina que ejecuta este "
        "bot. {retention}\n"
        "\n"
        "**Olvidar**\n"
        "`/forget` borra, tras confirmarlo, tus correcciones, los subtítulos que pediste, el audio que solo tú "
        "publicaste y las palabras que propusieron tus correcciones; las versiones del modelo entrenadas con "
        "tus correcciones se retiran: no vuelven a subtitular.\n"
        "`/privacy` muestra si este servidor entrena su modelo con notas de voz y correcciones, y te deja "
        "aceptar o rechazar; tu elección cubre tus grabaciones aunque otra persona las corrija.\n"
        "\n"
        "Moderadores (Gestionar servidor): `/retrain`, `/rollback`, `/settings`, `/vocabmod`, `/corrections`, "
        "`/spelling`. Todos: `/model show`, `/vocab list|suggest`, `/privacy`, `/help`."
    ),
    "help.retention.forever": (
        "El audio se guarda hasta que tú o un moderador lo borréis (este servidor lo guarda sin límite de "
        "tiempo)."
    ),
    "help.retention.days": "El audio se borra a los {days} días; el texto de los subtítulos se queda.",
    "forget.corrections": "{count} correcciones",
    "forget.corrections.one": "{count} corrección",
    "forget.captions": "{count} subtítulos",
    "forget.captions.one": "{count} subtítulo",
    "forget.recordings": "{count} grabaciones",
    "forget.recordings.one": "{count} grabación",
    "forget.files": "{count} archivos de audio guardados",
    "forget.files.one": "{count} archivo de audio guardado",
    "forget.terms": "{count} términos del vocabulario",
    "forget.terms.one": "{count} término del vocabulario",
    "forget.pairs": "{count} pares",
    "forget.pairs.one": "{count} par",
    "forget.prompt": (
        "Esto borra tus {corrections} en este servidor, los subtítulos que pediste, las grabaciones que solo tú "
        "publicaste (con los subtítulos y pares de entrenamiento hechos con ellas, los hiciera quien los "
        "hiciera), tu vínculo con grabaciones que otros también publicaron, y los términos que propusieron tus "
        "correcciones. Las versiones del modelo entrenadas con tus datos se retiran: no vuelven a subtitular "
        "(lo hace el modelo base o una versión anterior) y sus pesos se borran cuando dejan de estar activas. "
        "No se puede deshacer."
    ),
    "forget.done": (
        "🗑️ Hecho: borrados {corrections}, {captions} que pediste, {recordings} que solo tú habías publicado "
        "({files}) y {terms} que propusieron tus correcciones."
    ),
    "forget.shared": "Te quitamos de {recordings} que otros también publicaron; el audio se queda para ellos.",
    "forget.withdrawn": (
        "Retiradas: las versiones del modelo entrenadas con tus datos no vuelven a subtitular: {versions}. Los "
        "subtítulos usan el modelo base (o, tras /rollback, una versión anterior que no aprendió de ellos) hasta "
        "que un moderador reentrene sin tus datos; sus pesos se borran cuando dejan de estar activas."
    ),
    "forget.no_model": "Ninguna versión del modelo de este servidor se entrenó con tus datos.",
    "forget.unrecorded": (
        "Las versiones del modelo hechas antes de registrar los datos de entrenamiento pueden contenerlos "
        "también: {versions}. Se quedan hasta que un moderador vuelva atrás o reentrene."
    ),
    "forget.cancelled": "No se borró nada.",
    "forget.confirm": "Borrar mis datos",
    "confirm.cancel": "Cancelar",
    "confirm.not_yours": "Esta elección es de otra persona.",
    "vocab.suggested": "¡Gracias! Propuesto: {terms}; un moderador lo revisa con /vocabmod review.",
    "vocab.suggested_none": (
        "Esos términos ya están en el vocabulario, esperan revisión o fueron rechazados."
    ),
    "error.not_suggester": (
        "Solo los miembros con el rol <@&{role}> pueden proponer términos en este servidor; no se guardó nada."
    ),
    "error.suggest_rate": (
        "Has propuesto términos {limit} veces en la última hora, el máximo; vuelve a intentarlo en {count} "
        "minutos. No se añadió nada."
    ),
    "error.suggest_rate.one": (
        "Has propuesto términos {limit} veces en la última hora, el máximo; vuelve a intentarlo en {count} "
        "minuto. No se añadió nada."
    ),
    "error.proposals_full": (
        "Ya esperan revisión {limit} términos propuestos, el máximo; un moderador los revisa con /vocabmod "
        "review; no se añadió nada."
    ),
    "error.proposals_full_kept": (
        "Ya esperan revisión {limit} términos propuestos, el máximo; un moderador los revisa con /vocabmod "
        "review; antes se añadieron {added} de los tuyos."
    ),
    "error.no_terms": "Indica al menos un término.",
    "error.term_too_long": "'{term}…' tiene más de {limit} caracteres.",
    "correction.note.not_training": (
        "Solo corrige estos subtítulos: este servidor no entrena con ella (su ajuste de entrenamiento, o la "
        "elección de quien corrige o de quien publicó en /privacy)."
    ),
    "correction.note.unrelated": (
        "Solo corrige estos subtítulos: casi no comparte palabras con lo que se oyó ({shared:.0%}), así que no "
        "enseña nada al modelo (¿una corrección en otro idioma, o de otro clip?)."
    ),
    "correction.note.replaces": (
        "Reemplaza la corrección anterior de estos subtítulos hecha por otro miembro: solo entrena la más "
        "reciente."
    ),
    "correction.note.proposals_full": (
        "Ya esperan {limit} términos propuestos la revisión de un moderador, así que no se propusieron más."
    ),
    "error.correction_empty": "La corrección está vacía; envía las palabras corregidas de los subtítulos.",
    "error.vocabulary_full": (
        "El vocabulario está lleno ({limit} términos); quita algunos con /vocabmod remove antes de aprobar "
        "más. No se cambió nada."
    ),
    "media.too_long": "El medio dura {minutes} minutos; el límite es {limit} minutos.",
    "media.too_big": "El medio supera el límite de {limit} MB.",
    "media.too_slow": "La descarga tardó más de {seconds} s; vuelve a intentarlo.",
    "media.playlist": "Las listas de reproducción no se subtitulan; enlaza un solo vídeo.",
    "media.live": (
        "Las emisiones en directo no se pueden subtitular; inténtalo cuando la grabación esté disponible."
    ),
    "media.stream_only": (
        "El medio solo se ofrece como emisión (HLS o DASH), que no se descarga; enlaza un archivo normal."
    ),
    "media.private_address": "El enlace lleva a una dirección privada; esos enlaces se rechazan.",
    "media.host_silent": "El servidor del medio dejó de responder; vuelve a intentarlo más tarde.",
    "media.private_video": "El vídeo es privado; solo se pueden subtitular vídeos públicos.",
    "media.unavailable": "El vídeo no está disponible (eliminado, privado o un enlace erróneo).",
    "media.no_video": "No se encontró ningún vídeo en ese enlace.",
    "media.not_readable": "{name} no es un archivo de audio o vídeo legible.",
    "media.no_audio_track": "{name} no tiene pista de audio.",
    "media.not_decodable": "{name} no se pudo decodificar como audio; envía un formato de audio o vídeo común.",
    "media.host_not_found": "No se encontró el host {host}; revisa el enlace.",
    "button.correct": "Corregir",
    "button.get_vtt": "Obtener .vtt",
    "button.caption": "Subtitular",
    "modal.title": "Corregir los subtítulos",
    "modal.field": "Transcripción",
    "modal.field_part": "Transcripción, parte {part} de {parts}",
    "link.prompt": "🔗 ¿Subtítulos para este enlace?",
    "vocab.added": "Añadido: {terms}.",
    "vocab.removed": "Quitado: {terms}.",
    "vocab.already_in": "{terms}: ya está en el vocabulario.",
    "vocab.not_in": "{terms}: no está en el vocabulario.",
    "review.none": "Nada espera revisión: cada término propuesto se aprobó o se rechazó.",
    "review.header": "**{count} términos propuestos por revisar**",
    "review.header.one": "**{count} término propuesto por revisar**",
    "review.explain": (
        "Los términos aprobados se vuelven pistas para los nuevos subtítulos y se puntúan tras un "
        "reentrenamiento."
    ),
    "review.more": "{more} más después de estos; vuelve a ejecutar /vocabmod review.",
    "review.approved": "✅ {term} aprobado: los nuevos subtítulos lo usan como pista desde ahora.",
    "review.rejected": "🚫 {term} rechazado: las correcciones no lo volverán a proponer.",
    "review.nothing_left": "Ya no esperaba nada revisión; no se cambió nada.",
    "review.rejected_all": (
        "🚫 {count} términos propuestos rechazados ({names}); las correcciones no los volverán a proponer."
    ),
    "review.rejected_all.one": (
        "🚫 {count} término propuesto rechazado ({names}); las correcciones no lo volverán a proponer."
    ),
    "rollback.base": "↩️ Vuelta atrás: este servidor usa ahora el modelo base ({base}).",
    "rollback.version": "↩️ Vuelta atrás: este servidor vuelve a usar el modelo v{version}.",
    "error.too_few_pairs": (
        "Este servidor tiene {count} pares de entrenamiento; un reentrenamiento necesita al menos {needed}. "
        "Corrige más subtítulos (responde a unos subtítulos con las palabras correctas) y vuelve a intentarlo."
    ),
    "error.too_few_pairs.one": (
        "Este servidor tiene {count} par de entrenamiento; un reentrenamiento necesita al menos {needed}. "
        "Corrige más subtítulos (responde a unos subtítulos con las palabras correctas) y vuelve a intentarlo."
    ),
    "retrain.asked_by": " (pedido por <@{user}>)",
    "retrain.finished": "🧠 Reentrenamiento terminado{who}.",
    "retrain.failed": "⚠️ El reentrenamiento falló{who}: {reason}",
    "retrain.no_reason": "no se registró ningún motivo",
    "button.approve": "Aprobar {term}",
    "button.reject": "Rechazar {term}",
    "button.reject_all": "Rechazar todos los pendientes",
    "button.reject_all_n": "Rechazar los {waiting} pendientes",
    "restart.progress": "⚠️ Interrumpido: me reinicié antes de terminar estos subtítulos.",
    "restart.voice": (
        "<@{user}> Me reinicié mientras subtitulaba tu mensaje de voz{shown}, así que no se terminó. Vuelve a "
        "publicarlo."
    ),
    "restart.file": (
        "<@{user}> Me reinicié mientras subtitulaba tu archivo{shown}, así que no se terminó. Vuelve a "
        "publicarlo."
    ),
    "restart.link": (
        "<@{user}> Me reinicié mientras subtitulaba tu enlace{shown}, así que no se terminó. Vuelve a ejecutar "
        "/caption."
    ),
    "restart.request": (
        "<@{user}> Me reinicié mientras subtitulaba tu solicitud{shown}, así que no se terminó. Vuelve a "
        "ejecutar /caption."
    ),
    "settings.label.autocaption": "Autocaption",
    "settings.label.link_buttons": "Botones Caption en enlaces",
    "settings.label.on_request": "Subtítulos a petición",
    "settings.follows": "↩️ {label} en {channel} vuelve a seguir el ajuste del servidor.",
    "settings.where.channel": "en {channel}",
    "settings.where.server": "en este servidor",
    "settings.on.autocaption": "🎙️ Los mensajes de voz y archivos de audio/vídeo publicados {where} se subtitularán.",
    "settings.off.autocaption": (
        "🔇 Los mensajes de voz y archivos publicados {where} ya no se subtitularán; /caption y el comando de "
        "mensaje Caption siguen funcionando."
    ),
    "settings.on.link_buttons": (
        "🔗 Los mensajes {where} con un enlace que puedo subtitular tendrán un botón Caption; no se descarga "
        "nada hasta que alguien lo pulse."
    ),
    "settings.off.link_buttons": "🔗 Los enlaces publicados {where} ya no tendrán botón Caption.",
    "settings.on.on_request": (
        "💬 Los miembros que pueden publicar {where} pueden subtitular mensajes allí con el comando de mensaje "
        "Caption y los botones Caption."
    ),
    "settings.off.on_request": (
        "🚫 El comando de mensaje Caption y los botones Caption se rechazan {where}; el autocaption y /caption "
        "siguen sus propios ajustes."
    ),
    "settings.language.auto": (
        "🌐 Los subtítulos de este servidor detectarán el idioma hablado; /caption language: sigue teniendo "
        "prioridad."
    ),
    "settings.language.code": (
        "🌐 Los subtítulos de este servidor se harán en '{code}'; /caption language: sigue teniendo prioridad."
    ),
    "settings.replies.text": (
        "💬 Los subtítulos de medios de hasta {duration} se publicarán como texto, con un botón «Obtener .vtt» "
        "para el archivo con tiempos; los medios más largos siguen recibiendo el archivo."
    ),
    "settings.replies.file": (
        "📎 Los subtítulos se publicarán con el archivo de subtítulos adjunto y una vista previa del texto."
    ),
    "settings.line.replies.text": "Respuestas: texto para medios cortos, el .vtt a petición",
    "settings.line.replies.file": "Respuestas: el archivo de subtítulos adjunto (predeterminado)",
    "settings.line.language.none": "Idioma: el predeterminado del bot (no fijado para este servidor)",
    "settings.line.language.auto": "Idioma: detectado en cada subtítulo (auto)",
    "settings.line.language.code": "Idioma: {code}",
    "settings.value.on": "activado",
    "settings.value.off": "desactivado",
    "settings.who_corrects.everyone": "todos",
    "settings.who_corrects.role": "los miembros con el rol <@&{role}>, y los moderadores",
    "settings.correctors": "✏️ Desde ahora, {who} pueden corregir subtítulos en este servidor.",
    "settings.who_moderates.base": "los miembros con el permiso Gestionar servidor",
    "settings.who_moderates.role": (
        "los miembros con el permiso Gestionar servidor y los miembros con el rol <@&{role}>"
    ),
    "settings.moderators": "🛡️ Desde ahora, {who} pueden usar aquí los comandos de moderación del bot.",
    "settings.show.title": "**Ajustes de subtítulos**",
    "settings.show.autocaption": "Autocaption: {value} (predeterminado del servidor)",
    "settings.show.link_buttons": "Botones Caption en enlaces: {value} (predeterminado del servidor)",
    "settings.show.on_request": (
        "Subtítulos a petición (comando de mensaje Caption, botones): {value} (predeterminado del servidor)"
    ),
    "settings.show.correctors": "Quién puede corregir subtítulos: {who}",
    "settings.show.moderators": "Quién modera: {who}",
    "settings.show.no_channels": "Ningún canal tiene ajustes propios.",
    "settings.channel.autocaption": "autocaption {value}",
    "settings.channel.link_buttons": "botones Caption {value}",
    "settings.channel.on_request": "subtítulos a petición {value}",
    "settings.training_hint": "{mode} Los miembros ven y cambian su elección con /privacy.",
    "error.default_needs_channel": (
        "'default' hace que un canal siga el ajuste del servidor; indica un canal con él."
    ),
    "vocab.list.empty": (
        "El vocabulario de este servidor está vacío. Propón las palabras de la comunidad con /vocab suggest."
    ),
    "vocab.list.head": "Vocabulario de este servidor ({count} términos):",
    "vocab.list.head.one": "Vocabulario de este servidor ({count} término):",
    "vocab.list.more": " … y {rest} más",
    "retrain.progress.queued": (
        "🧠 Reentrenamiento (tarea {job}) en cola: esperando al entrenador. Publicaré aquí los resultados."
    ),
    "retrain.progress.running": "en curso",
    "retrain.progress.line": (
        "🧠 Reentrenamiento (tarea {job}): {stage} · {percent} %{left}. Publicaré aquí los resultados cuando "
        "termine."
    ),
    "retrain.progress.under_a_minute": " · queda menos de un minuto",
    "retrain.progress.minutes_left": " · quedan unos {minutes} min",
    "retrain.progress.finished": (
        "🧠 Reentrenamiento (tarea {job}) terminado · 100 %. Los resultados están en el mensaje de abajo."
    ),
    "retrain.progress.failed": "⚠️ Reentrenamiento (tarea {job}) fallido; el motivo está en el mensaje de abajo.",
    "audit.none": "Ninguna corrección coincide.",
    "audit.head": "**Correcciones** (las más nuevas primero, {shown} de {total} en este servidor)",
    "audit.forgotten": "alguien que usó /forget",
    "audit.row": "`#{id}` subtítulo {caption}, de {who} {when}, {pairs} par(es): {text}",
    "audit.more": "… y {more} más; acota con la opción user o caption.",
    "audit.removed": (
        "🗑️ Corrección #{id} quitada con sus {pairs} par(es) de entrenamiento; el próximo /retrain no los "
        "usará. Un reentrenamiento usa la corrección más nueva de cada subtítulo, así que si este se corrigió "
        "antes, los pares de esa corrección anterior vuelven a contar (ver /corrections list caption:). Este "
        "servidor tiene ahora {total} par(es) para el próximo /retrain."
    ),
    "spelling.none": (
        "Aún no hay reglas de ortografía. Se aprenden cuando las correcciones arreglan una y otra vez las "
        "mismas palabras."
    ),
    "spelling.head": "**Reglas de ortografía** (aplicadas al instante a los nuevos subtítulos)",
    "spelling.rule": "• {heard} → {term} ({captions} subtítulos)",
    "spelling.more": "… y {more} más",
    "spelling.removed": (
        "🗑️ '{heard}' ya no se reemplaza por {terms} en los nuevos subtítulos, y las correcciones no lo "
        "volverán a enseñar."
    ),
    "error.managers_only": "Solo los miembros con el permiso Gestionar servidor pueden {action}.",
    "error.moderators_only_role": (
        "Solo los miembros con el permiso Gestionar servidor o el rol <@&{role}> pueden {action}."
    ),
    "action.change_settings": "cambiar los ajustes de subtítulos",
    "action.see_settings": "ver los ajustes de subtítulos",
    "action.change_vocabulary": "cambiar el vocabulario",
    "action.review_vocabulary": "revisar el vocabulario",
    "action.see_corrections": "ver las correcciones",
    "action.remove_corrections": "quitar correcciones",
    "action.see_spelling": "ver las reglas de ortografía",
    "action.remove_spelling": "quitar reglas de ortografía",
    "action.rollback": "volver al modelo anterior",
    "action.retrain": "iniciar un reentrenamiento",
    "action.choose_moderators": "elegir el rol de moderadores",
    "model.never": "nunca",
    "model.serving": "**En uso** {plan} (base = {base}).",
    "model.why": "Por qué: {reason}.",
    "model.none": "Aún no hay un modelo reentrenado.",
    "model.latest": "Último modelo adoptado: **v{version}**, {when}.",
    "model.scores": "En {words} palabras de prueba: {scores}",
    "model.withdrawn": (
        "v{version} está retirado (un miembro con cuyos datos se entrenó usó /forget): el modelo base subtitula "
        "hasta que un moderador reentrene o vuelva atrás."
    ),
    "model.history": "**Historial** (lo más nuevo primero):",
    "model.withdrawn_mark": " (retirado por /forget)",
    "model.older": "… y {count} versiones más antiguas",
    "error.asker_cannot_post": (
        "No puedes enviar mensajes en este canal, así que no publicaré subtítulos aquí para ti; no se guardó "
        "nada."
    ),
    "error.requests_off": (
        "Los subtítulos a petición están desactivados en este canal (/settings requests de un moderador); no se "
        "guardó nada."
    ),
    "error.link_message_gone": "Ese mensaje ya no existe, así que su enlace ya no se puede subtitular.",
    "retrain.no_attach": "(Necesito aquí el permiso Adjuntar archivos para publicar la curva de entrenamiento.)",
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
