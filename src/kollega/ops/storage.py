"""Static files for production: hashed, compressed, and never a crash for a missing entry."""

from urllib.parse import unquote, urlsplit

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage, lenient where nothing was collected.

    `kollega serve` collects into STATIC_ROOT at start, so production pages name
    the hashed files (cached for a year). Where nothing was collected (tests,
    a `kollega` command, a quick `gunicorn kollega.wsgi`), a name missing from
    the manifest falls back to the plain name, which WhiteNoise's finders serve.
    """

    manifest_strict = False

    def stored_name(self, name):
        hash_key = self.hash_key(urlsplit(unquote(name)).path.strip())
        if hash_key not in self.hashed_files:
            return name  # not collected: the plain name, served by the finders
        return super().stored_name(name)
