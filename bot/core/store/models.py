"""Model versions: a retrain's candidate, the active version, rollback, pruning, and the serving plan.

Why the serving plan is here although it is a guild_settings column: it changes only with the model (a
retrain's winner, or the plan a rolled-back-to version was promoted with), in the same transaction.
`complete_retrain` ends the job too (bot/core/store/jobs.py, `finish_job_in`), so a failure in between can
never leave a promoted model next to a running job.
"""

from __future__ import annotations

import json
import time
from typing import Any

from bot.core.errors import NotFoundError, StoreError
from bot.core.store.base import StoreBase, present
from bot.core.store.engine import Connection
from bot.core.store.jobs import finish_job_in
from bot.core.store.rows import JobStatus, ModelStatus, ModelVersionRow, from_row

JOB_ENDED = (  # a worker that outlived its heartbeat timeout (or lost the database) finds its job ended
    "this retrain was already ended (its worker was taken for dead); nothing was recorded"
)
MODEL_CHANGED = (  # a retrain that would undo a /rollback made while it ran
    "the server's model changed while this retrain ran (rollback); nothing was promoted, retrain again"
)
# Versions whose weights a server keeps: the newest ever promoted, i.e. the active one, the one /rollback
# returns to and 3 more. Older retired versions lose their weights (their metrics and card stay).
KEPT_VERSIONS = 5
# The oldest version inside that window (NULL while the guild has no promoted version); ? is the guild.
KEPT_FROM = (
    "(SELECT MIN(version) FROM (SELECT version FROM model_versions WHERE guild_id = ?"
    f" AND promoted_at IS NOT NULL ORDER BY version DESC LIMIT {KEPT_VERSIONS}) AS kept)"
)


class ModelQueries(StoreBase):
    """The model_versions and model_pairs tables, and guild_settings.serving_plan."""

    # --- model versions ----------------------------------------------------------------------------------

    async def active_model(self, guild_id: int) -> ModelVersionRow | None:
        row = await self._one(
            "SELECT * FROM model_versions WHERE guild_id = ? AND status = ?", (guild_id, ModelStatus.ACTIVE)
        )
        return from_row(ModelVersionRow, row) if row else None

    async def guilds_with_active_model(self) -> set[int]:
        """The guilds a retrained version serves (the others are served the base); for the metrics."""
        rows = await self._all(
            "SELECT DISTINCT guild_id FROM model_versions WHERE status = ?", (ModelStatus.ACTIVE,)
        )
        return {int(r["guild_id"]) for r in rows}

    async def model_history(self, guild_id: int) -> list[ModelVersionRow]:
        rows = await self._all(
            "SELECT * FROM model_versions WHERE guild_id = ? ORDER BY version DESC", (guild_id,)
        )
        return [from_row(ModelVersionRow, r) for r in rows]

    async def next_model_version(self, guild_id: int) -> int:
        latest = await self._scalar("SELECT MAX(version) FROM model_versions WHERE guild_id = ?", (guild_id,))
        return (latest or 0) + 1

    async def record_model(
        self,
        guild_id: int,
        *,
        version: int,
        path: str,
        promote: bool,
        metrics: dict[str, Any],
        reason: str,
        job_id: int | None,
    ) -> int:
        """Record a candidate; when promoted, it replaces the active version in the same transaction."""
        async with self.transaction(guild_id) as db:
            return await _insert_model(db, guild_id, version, path, promote, metrics, reason, job_id)

    async def complete_retrain(
        self,
        guild_id: int,
        job_id: int,
        *,
        version: int,
        path: str | None,
        promote: bool,
        metrics: dict[str, Any],
        reason: str,
        started_from: int | None,
        plan: dict[str, Any] | None = None,
    ) -> bool:
        """Record a retrain's model and finish its job in ONE transaction, so a failure in between can never
        leave a promoted model next to a running job. The decision is checked against the model active NOW:
        if it is no longer `started_from` (the active version's id when the job began; a /rollback ran
        meanwhile), nothing is recorded and the job fails, instead of silently undoing the rollback.
        The guild's serving plan changes in the same transaction. Returns whether the model was promoted;
        False with no row when the active model changed. A job that is no longer running (its worker was
        taken for dead and the job failed) records nothing: StoreError, and the caller removes the folder."""
        async with self.transaction(guild_id) as db:
            status = await db.scalar(
                "SELECT status FROM jobs WHERE guild_id = ? AND id = ?" + self._engine.for_update,
                (guild_id, job_id),
            )
            if status != JobStatus.RUNNING:
                raise StoreError(JOB_ENDED)
            active = await db.one(
                "SELECT id FROM model_versions WHERE guild_id = ? AND status = ?",
                (guild_id, ModelStatus.ACTIVE),
            )
            if promote and (active["id"] if active else None) != started_from:
                result = {**metrics, "promoted": False, "reason": MODEL_CHANGED}
                await finish_job_in(
                    db, guild_id, job_id, succeeded=False, message=MODEL_CHANGED, result=result
                )
                return False
            if path is not None:  # a retrain whose new model lost keeps no folder and no row
                await _insert_model(db, guild_id, version, path, promote, metrics, reason, job_id)
            if plan is not None:  # what serves the guild from now on: the winner, or the best free option
                await _set_plan(db, guild_id, plan)
            await finish_job_in(db, guild_id, job_id, succeeded=True, message=reason, result=metrics)
            return promote

    async def versions_to_prune(self, guild_id: int) -> list[ModelVersionRow]:
        """Versions whose weights may be deleted to keep retrain spam from filling the disk: rejected ones
        (a rolled-back version is rejected, and rollback_model only ever returns to a retired one, so none is
        served again), retired ones withdrawn by a /forget (never served again either) and retired ones older
        than the KEPT_VERSIONS newest ever promoted. Promotions only
        accumulate, so the window only moves forward: a version outside it never comes back in."""
        rows = await self._all(
            "SELECT * FROM model_versions WHERE guild_id = ? AND (status = ? OR (status = ? AND withdrawn = 1)"
            f" OR (status = ? AND version < {KEPT_FROM})) ORDER BY version",
            (guild_id, ModelStatus.REJECTED, ModelStatus.RETIRED, ModelStatus.RETIRED, guild_id),
        )
        return [from_row(ModelVersionRow, r) for r in rows]

    async def rollback_model(self, guild_id: int) -> ModelVersionRow | None:
        """Retire the active version and reactivate the newest one promoted before it that a /forget did not
        withdraw (None: back to the base).
        A version outside the kept window may have lost its weights (versions_to_prune), so it is refused
        and nothing changes, rather than serving a folder that is gone."""
        async with self.transaction(guild_id) as db:
            active = await db.one(
                "SELECT * FROM model_versions WHERE guild_id = ? AND status = ?",
                (guild_id, ModelStatus.ACTIVE),
            )
            if active is None:
                raise NotFoundError("this server already uses the base model; there is nothing to roll back")
            previous = await db.one(  # a version withdrawn by a /forget is passed over: it never serves
                "SELECT *, version < coalesce("
                + KEPT_FROM
                + ", 0) AS pruned FROM model_versions WHERE guild_id = ? AND status = ? AND version < ?"
                " AND withdrawn = 0 ORDER BY version DESC LIMIT 1",
                (guild_id, guild_id, ModelStatus.RETIRED, active["version"]),
            )
            if previous is not None and previous["pruned"]:
                raise NotFoundError(_pruned_message(previous["version"], active["version"]))
            await db.run(
                "UPDATE model_versions SET status = ?, reason = 'rolled back' WHERE id = ?",
                (ModelStatus.REJECTED, active["id"]),
            )
            plan = _plan_of(previous) if previous is not None else None
            await _set_plan(db, guild_id, plan)  # back with the model: the plan it was promoted with
            if previous is None:
                return None
            row = await db.one(
                "UPDATE model_versions SET status = ?, promoted_at = ? WHERE id = ? RETURNING *",
                (ModelStatus.ACTIVE, time.time(), previous["id"]),
            )
            return from_row(ModelVersionRow, present(row))

    async def serving_plan(self, guild_id: int) -> dict[str, Any] | None:
        """The plan the last retrain chose (None: the configured default for guilds that never retrained)."""
        value = await self._scalar("SELECT serving_plan FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return json.loads(value) if value else None


def _pruned_message(version: int, active: int) -> str:
    return (
        f"v{version}, the version before v{active}, no longer has its weights (a server keeps its"
        f" {KEPT_VERSIONS} newest models to save disk); v{active} stays active"
    )


async def _insert_model(
    db: Connection,
    guild_id: int,
    version: int,
    path: str,
    promote: bool,
    metrics: dict[str, Any],
    reason: str,
    job_id: int | None,
) -> int:
    """A model version row (retiring the active one when promoted) and its pairs, in the caller's
    transaction."""
    now = time.time()
    if promote:
        await db.run(
            "UPDATE model_versions SET status = ? WHERE guild_id = ? AND status = ?",
            (ModelStatus.RETIRED, guild_id, ModelStatus.ACTIVE),
        )
    model_id = await db.insert(
        "INSERT INTO model_versions (guild_id, version, path, status, job_id, metrics_json, reason,"
        " created_at, promoted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            guild_id,
            version,
            path,
            ModelStatus.ACTIVE if promote else ModelStatus.REJECTED,
            job_id,
            json.dumps(metrics),
            reason,
            now,
            now if promote else None,
        ),
    )
    await db.run_many(  # which pairs it learnt from, so /forget can name the versions holding them
        "INSERT INTO model_pairs (guild_id, model_id, pair_id)"
        " SELECT guild_id, ?, id FROM training_pairs WHERE guild_id = ? AND id = ? ON CONFLICT DO NOTHING",
        [(model_id, guild_id, int(p)) for p in metrics.get("pair_ids", [])],
    )
    return present(model_id)


async def _set_plan(db: Connection, guild_id: int, plan: dict[str, Any] | None) -> None:
    """The guild's serving plan (None: the configured default), in the caller's transaction. A guild new to
    guild_settings gets autocaption off, as if it had no row (autocaption is opt-in)."""
    await db.run(
        "INSERT INTO guild_settings (guild_id, autocaption, serving_plan) VALUES (?, 0, ?)"
        " ON CONFLICT (guild_id) DO UPDATE SET serving_plan = excluded.serving_plan",
        (guild_id, json.dumps(plan) if plan else None),
    )


def _plan_of(version: Any) -> dict[str, Any]:
    """The serving plan a version was promoted with; versions from before plans served themselves."""
    metrics = json.loads(version["metrics_json"])
    if metrics.get("serving"):
        return metrics["serving"]
    name = f"v{version['version']}"
    short_hint = "hotwords" if metrics.get("use_hotwords", True) else "none"
    return {
        "short": {"model": name, "hint": short_hint},
        "long": {"model": name, "hint": "none"},
        "reason": "",
    }
