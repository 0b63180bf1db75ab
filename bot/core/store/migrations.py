"""The schema and its forward migrations, for SQLite and PostgreSQL alike.

Migrations only ever append: entry N turns a version-N database into version N+1, so a database from any
earlier release is brought forward step by step, each step in its own transaction (PostgreSQL's DDL is
transactional too, so neither engine is ever left half-migrated). A database newer than this program is
refused rather than guessed at. SQLite records the version in `user_version`, PostgreSQL in the
caption_bot_schema table.

The migrations are written in SQLite's dialect and `for_postgres` translates the few words that differ:
64-bit ids (BIGINT: Discord's ids do not fit PostgreSQL's INTEGER), DOUBLE PRECISION times (PostgreSQL's REAL
is 4 bytes), identity keys, `INSERT OR IGNORE`. SQLite's NOCASE is a collation of that name made in
PostgreSQL first. A migration whose data-moving SQL cannot be translated word by word (JSON functions) has
its PostgreSQL text written out in POSTGRES_VARIANTS.
"""

from __future__ import annotations

import logging
import re

from bot.core.errors import StoreError

log = logging.getLogger("bot.core.store")

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE media (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        source TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        duration REAL NOT NULL,
        audio_path TEXT,
        uploader_id INTEGER,
        created_at REAL NOT NULL,
        UNIQUE (guild_id, sha256)
    );
    CREATE TABLE captions (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL,
        media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
        model_version TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT '',
        cues_json TEXT NOT NULL,
        text TEXT NOT NULL,
        requester_id INTEGER,
        channel_id INTEGER,
        message_id INTEGER,
        created_at REAL NOT NULL
    );
    CREATE INDEX captions_by_message ON captions (guild_id, message_id);
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL,
        caption_id INTEGER NOT NULL REFERENCES captions(id) ON DELETE CASCADE,
        user_id INTEGER,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        cues_json TEXT NOT NULL,
        created_at REAL NOT NULL
    );
    CREATE TABLE training_pairs (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL,
        correction_id INTEGER NOT NULL REFERENCES corrections(id) ON DELETE CASCADE,
        media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
        start REAL NOT NULL,
        "end" REAL NOT NULL,
        text TEXT NOT NULL,
        created_at REAL NOT NULL,
        CHECK ("end" > start)
    );
    CREATE INDEX pairs_by_guild ON training_pairs (guild_id, media_id);
    CREATE TABLE vocabulary (
        guild_id INTEGER NOT NULL,
        term TEXT NOT NULL COLLATE NOCASE,
        origin TEXT NOT NULL DEFAULT 'user',
        added_by INTEGER,
        created_at REAL NOT NULL,
        PRIMARY KEY (guild_id, term)
    );
    CREATE TABLE guild_settings (
        guild_id INTEGER PRIMARY KEY,
        autocaption INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL,
        kind TEXT NOT NULL DEFAULT 'retrain',
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        requested_by INTEGER,
        channel_id INTEGER,
        progress REAL NOT NULL DEFAULT 0,
        stage TEXT NOT NULL DEFAULT '',
        message TEXT NOT NULL DEFAULT '',
        result_json TEXT,
        worker_pid INTEGER,
        heartbeat_at REAL,
        created_at REAL NOT NULL,
        started_at REAL,
        finished_at REAL,
        reported INTEGER NOT NULL DEFAULT 0
    );
    CREATE UNIQUE INDEX one_open_job_per_guild ON jobs (guild_id) WHERE status IN ('queued', 'running');
    CREATE TABLE model_versions (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL,
        version INTEGER NOT NULL,
        path TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'rejected', 'retired')),
        job_id INTEGER,
        metrics_json TEXT NOT NULL DEFAULT '{}',
        reason TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        promoted_at REAL,
        UNIQUE (guild_id, version)
    );
    CREATE UNIQUE INDEX one_active_model_per_guild ON model_versions (guild_id) WHERE status = 'active';
    """,
    # 2: caption requests in flight, so a bot killed mid-transcription can tell their users after a restart
    """
    CREATE TABLE pending_captions (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL,
        channel_id INTEGER,
        user_id INTEGER NOT NULL,
        message_id INTEGER,
        kind TEXT NOT NULL CHECK (kind IN ('link', 'file', 'voice')),
        label TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL
    );
    CREATE INDEX pending_captions_by_guild ON pending_captions (guild_id, user_id);
    """,
    # 3: per-channel autocaption and Caption buttons on links (NULL: the server's setting); autocaption becomes
    # opt-in, so servers that already used the bot (they had it on by default) keep it on explicitly
    """
    CREATE TABLE channel_settings (
        guild_id INTEGER NOT NULL,
        channel_id INTEGER NOT NULL,
        autocaption INTEGER CHECK (autocaption IN (0, 1)),
        link_buttons INTEGER CHECK (link_buttons IN (0, 1)),
        PRIMARY KEY (guild_id, channel_id)
    );
    ALTER TABLE guild_settings ADD COLUMN link_buttons INTEGER NOT NULL DEFAULT 0;
    INSERT OR IGNORE INTO guild_settings (guild_id, autocaption) SELECT DISTINCT guild_id, 1 FROM media;
    """,
    # 4: /forget finds everything: indexes for the foreign keys deletes cascade through (without them each
    # deleted correction scanned every pair: 20k corrections took 23-75 s in one transaction); every uploader
    # of a media (a second poster of the same file was recorded nowhere); the pairs each model version was
    # trained on (a record that outlives the pairs, so /forget can say which models still hold them)
    """
    CREATE TABLE media_uploaders (
        guild_id INTEGER NOT NULL,
        media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL,
        created_at REAL NOT NULL,
        PRIMARY KEY (media_id, user_id)
    );
    CREATE INDEX media_uploaders_by_user ON media_uploaders (guild_id, user_id);
    INSERT INTO media_uploaders (guild_id, media_id, user_id, created_at)
        SELECT guild_id, id, uploader_id, created_at FROM media WHERE uploader_id IS NOT NULL;
    CREATE TABLE model_pairs (
        guild_id INTEGER NOT NULL,
        model_id INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
        pair_id INTEGER NOT NULL,
        PRIMARY KEY (model_id, pair_id)
    );
    CREATE INDEX model_pairs_by_pair ON model_pairs (guild_id, pair_id);
    ALTER TABLE model_versions ADD COLUMN forgotten_pairs INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX pairs_by_correction ON training_pairs (correction_id);
    CREATE INDEX pairs_by_media ON training_pairs (media_id);
    CREATE INDEX captions_by_media ON captions (media_id);
    CREATE INDEX corrections_by_caption ON corrections (caption_id);
    CREATE INDEX corrections_by_user ON corrections (guild_id, user_id);
    CREATE INDEX media_by_uploader ON media (guild_id, uploader_id);
    """,
    # 5: moderators in charge of what the bot learns. Terms carry a review status (what corrections proposed
    # waits as a proposal; a rejected term is kept so the same correction does not propose it again; terms
    # people added stay approved); who may correct (NULL: everyone, else a role id); spelling rules learned
    # from corrections: one evidence row per correction (it goes when the correction goes) and the rules a
    # moderator removed, so they are not learned again
    """
    ALTER TABLE vocabulary ADD COLUMN status TEXT NOT NULL DEFAULT 'approved'
        CHECK (status IN ('approved', 'proposed', 'rejected'));
    UPDATE vocabulary SET status = 'proposed' WHERE origin = 'proposed';
    ALTER TABLE guild_settings ADD COLUMN corrector_role INTEGER;
    CREATE TABLE spelling_evidence (
        guild_id INTEGER NOT NULL,
        correction_id INTEGER NOT NULL REFERENCES corrections(id) ON DELETE CASCADE,
        caption_id INTEGER NOT NULL,
        heard TEXT NOT NULL COLLATE NOCASE,
        term TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (correction_id, heard, term)
    );
    CREATE INDEX spelling_evidence_by_guild ON spelling_evidence (guild_id, heard);
    CREATE TABLE spelling_removed (
        guild_id INTEGER NOT NULL,
        heard TEXT NOT NULL COLLATE NOCASE,
        term TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (guild_id, heard, term)
    );
    """,
    # 6: the server's caption language (/settings language): a Whisper code or 'auto'; NULL follows the
    # configured [model] language. The /retrain message a job's live progress is shown in
    """
    ALTER TABLE guild_settings ADD COLUMN language TEXT;
    ALTER TABLE jobs ADD COLUMN message_id INTEGER;
    """,
    # 7: what serves each guild (model and vocabulary hint, for short clips and for long media), chosen by a
    # retrain; guilds that already had a model keep being served by it the way they were
    """
    ALTER TABLE guild_settings ADD COLUMN serving_plan TEXT;
    INSERT INTO guild_settings (guild_id, autocaption, serving_plan)
        SELECT guild_id, 1, json_object(
            'short', json_object('model', 'v' || version, 'hint',
                CASE WHEN coalesce(json_extract(metrics_json, '$.use_hotwords'), 1) THEN 'hotwords' ELSE 'none' END),
            'long', json_object('model', 'v' || version, 'hint', 'none'),
            'reason', 'the model promoted before serving plans existed')
        FROM model_versions WHERE status = 'active'
        ON CONFLICT (guild_id) DO UPDATE SET serving_plan = excluded.serving_plan;
    """,
    # 8: a worker is its host and its pid: trainer workers on several machines share one PostgreSQL queue,
    # and a pid says whether a worker lives only on its own host (NULL: this machine, as before)
    """
    ALTER TABLE jobs ADD COLUMN worker_host TEXT;
    """,
    # 9: file paths relative to data_dir (bot/core/store/paths.py), so a machine that mounts data_dir elsewhere
    # finds them. Rows this program wrote end in a known shape (audio/<guild>/<sha256>.wav,
    # models/<guild>/v<version>/model) after whatever data_dir was; that tail is kept. Anything else stays
    # as it is. Plain substr/length/|| only: SQLite and PostgreSQL both have them.
    """
    UPDATE media SET audio_path = 'audio/' || guild_id || '/' || sha256 || '.wav'
        WHERE audio_path IS NOT NULL
        AND substr(audio_path, length(audio_path) - length(sha256) - length('/audio//.wav' || guild_id) + 1)
            = '/audio/' || guild_id || '/' || sha256 || '.wav';
    UPDATE model_versions SET path = 'models/' || guild_id || '/v' || version || '/model'
        WHERE substr(path, length(path) - length('/models//v/model' || guild_id || version) + 1)
            = '/models/' || guild_id || '/v' || version || '/model';
    """,
    # 10: consent before training.
    # guild_settings.training: 'off' (the server never trains), 'opt_out' (members train unless they opt out;
    # NULL means this, as before) or 'opt_in' (only members who opted in). training_consent: a member's own
    # choice in a server (1 in, 0 out); it outlives /forget, so forgetting never re-enables training.
    """
    ALTER TABLE guild_settings ADD COLUMN training TEXT;
    CREATE TABLE training_consent (
        guild_id INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        consent INTEGER NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (guild_id, user_id)
    );
    """,
    # 11: issue 21's low items. guild_settings.moderator_role: the role id whose members moderate this server
    # (NULL: Manage Server only, or the config's role id); a role is matched by id, never by name, since
    # anyone with Manage Roles can make a role of any name. on_request: whether members may caption others'
    # messages (the Caption message command, Caption buttons) in the server (on unless turned off) and per
    # channel (NULL: the server's). captions_by_requester: /forget and the per-member queries find a member's
    # captions without scanning the server's. model_versions.withdrawn: a version trained on pairs of a
    # member who used /forget; it never serves again and /rollback passes over it. pending_captions.instance:
    # the bot process that accepted the request ([discord] instance), so a restarting bot announces only its
    # own cut-off requests, never the live ones of another bot process on the same PostgreSQL.
    """
    ALTER TABLE pending_captions ADD COLUMN instance TEXT;
    ALTER TABLE guild_settings ADD COLUMN moderator_role INTEGER;
    ALTER TABLE model_versions ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE guild_settings ADD COLUMN on_request INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE channel_settings ADD COLUMN on_request INTEGER CHECK (on_request IN (0, 1));
    CREATE INDEX captions_by_requester ON captions (guild_id, requester_id);
    """,
    # 12: a server's reply style. guild_settings.reply_style: 'file' (the captions file attached, a preview
    # in the message; NULL means this, as before) or 'text' (short media: the words in the message, the .vtt
    # on request; media past [discord] text_reply_max_seconds still gets the file).
    """
    ALTER TABLE guild_settings ADD COLUMN reply_style TEXT;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

# Made in a new PostgreSQL database before migration 1, in the same transaction. `nocase` compares as SQLite's
# NOCASE does for the terms people write (case-insensitive, accents kept); ICU ships with Debian's server.
POSTGRES_PRELUDE = [
    "CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false)",
    "CREATE TABLE caption_bot_schema (version INTEGER NOT NULL)",
    "INSERT INTO caption_bot_schema (version) VALUES (0)",
]
POSTGRES_VARIANTS = {
    6: """
    ALTER TABLE guild_settings ADD COLUMN serving_plan TEXT;
    INSERT INTO guild_settings (guild_id, autocaption, serving_plan)
        SELECT guild_id, 1, json_build_object(
            'short', json_build_object('model', 'v' || version, 'hint',
                CASE WHEN coalesce((metrics_json::json ->> 'use_hotwords')::boolean, true)
                THEN 'hotwords' ELSE 'none' END),
            'long', json_build_object('model', 'v' || version, 'hint', 'none'),
            'reason', 'the model promoted before serving plans existed')::text
        FROM model_versions WHERE status = 'active'
        ON CONFLICT (guild_id) DO UPDATE SET serving_plan = excluded.serving_plan;
    """,
}
_POSTGRES_WORDS = [
    (re.compile(r"\bINTEGER PRIMARY KEY\b"), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b"), "BIGINT"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    (re.compile(r"^INSERT OR IGNORE (INTO .*)$", re.S), r"INSERT \1 ON CONFLICT DO NOTHING"),
]


def pending(version: int, where: str) -> range:
    """The migrations a database at `version` still needs (by index into MIGRATIONS)."""
    if version > SCHEMA_VERSION:
        log.info("database %s has schema version %d (this program: %d)", where, version, SCHEMA_VERSION)
        raise StoreError(
            f"the database has schema version {version}, newer than this program's "
            f"{SCHEMA_VERSION}; upgrade the caption bot before using it"
        )
    return range(version, SCHEMA_VERSION)


def statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


_statements = statements  # the name tests that build old databases use


def for_postgres(number: int) -> list[str]:
    """Migration `number` in PostgreSQL's words."""
    translated = []
    for statement in statements(POSTGRES_VARIANTS.get(number, MIGRATIONS[number])):
        for pattern, replacement in _POSTGRES_WORDS:
            statement = pattern.sub(replacement, statement)
        translated.append(statement)
    return translated
