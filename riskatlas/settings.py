"""Deployment settings, declared once: each read from an environment variable with a default.

Why one place: a maintainer deploying the atlas in public needs to know every switch; the docs
(docs/deploy-settings.md) name each one and a test checks that they do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    doc: str

    def raw(self) -> str:
        return os.environ.get(self.env, self.default)

    def flag(self) -> bool:
        return self.raw().strip().lower() in ("1", "true", "yes", "on")

    def number(self) -> int:
        try:
            return int(self.raw())
        except ValueError:
            return int(self.default)


PUBLIC = Setting(
    "RISKATLAS_PUBLIC",
    "0",
    "1 on a public deployment: the app writes nothing but pending submissions (contributions "
    "and imports, each waiting for a maintainer's review) and says so on the Import and "
    "Contribute pages.",
)
PENDING_PER_CLIENT = Setting(
    "RISKATLAS_PENDING_PER_CLIENT",
    "5",
    "Pending import submissions one client address may have waiting at once.",
)
PENDING_TOTAL = Setting(
    "RISKATLAS_PENDING_TOTAL",
    "100",
    "Pending import submissions waiting at once, from everyone.",
)
PENDING_BYTES = Setting(
    "RISKATLAS_PENDING_MB",
    "500",
    "Megabytes the pending import files may take on disk, all together.",
)
SUBMISSIONS = Setting(
    "RISKATLAS_SUBMISSIONS",
    "",
    "Folder of import files waiting for review (default data/submissions); kept apart from "
    "the imports the build reads ($RISKATLAS_IMPORTS, data/imports).",
)

ALL = (PUBLIC, PENDING_PER_CLIENT, PENDING_TOTAL, PENDING_BYTES, SUBMISSIONS)


def is_public() -> bool:
    """Whether this deployment is public (RISKATLAS_PUBLIC)."""
    return PUBLIC.flag()
