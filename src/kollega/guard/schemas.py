"""The API's optional override of a share-guard warning, one field for every write schema."""

from typing import Annotated

from pydantic import Field

from kollega.limits import GUARD_OVERRIDE_MAX_CHARS

GuardOverride = Annotated[
    str | None,
    Field(
        max_length=GUARD_OVERRIDE_MAX_CHARS,
        description="The author's reason to share a text the share guard warned about "
        "(a warning is refused with 400 without it). A blocked text cannot be overridden.",
    ),
]
