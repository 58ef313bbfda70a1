from django.db import models
from django.utils.translation import gettext_lazy as _


class Tag(models.Model):
    """A topic word shared by people, posts and (later) every other content type.

    Names are stored normalised (lower case, no leading '#'), so `#Wine` and
    `wine` are one tag.
    """

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name
