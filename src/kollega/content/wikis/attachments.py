"""Images attached to wiki pages: checked to really be images, then stored.

The file's content decides (Pillow must read it as PNG, JPEG, GIF or WebP and
verify it); its name and declared type do not. Stored under MEDIA_ROOT with a
random name and the extension of the format found.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from kollega.content.wikis.models import Attachment, Page
from kollega.limits import WIKI_ATTACHMENT_MAX_BYTES, WIKI_ATTACHMENT_MAX_PIXELS
from kollega.people.models import Person
from kollega.permissions.wikis import can_edit_page

FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}


def _inspect(upload: UploadedFile) -> tuple[str, int, int]:
    """(format, width, height) of an image file, or ValidationError."""
    not_an_image = ValidationError(
        {"image": _("That file is not an image: attach a PNG, JPEG, GIF or WebP picture.")}
    )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format, (width, height) = image.format, image.size
            if width * height > WIKI_ATTACHMENT_MAX_PIXELS:
                raise ValidationError({"image": _("That image has too many pixels.")})
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    finally:
        upload.seek(0)
    if image_format not in FORMATS:
        raise not_an_image
    return image_format, width, height


def attach_image(person: Person, page: Page, upload: UploadedFile) -> Attachment:
    """Attach an image to `page` (editors only); bad files are refused and nothing is stored."""
    if not can_edit_page(person, page):
        raise PermissionDenied(_("Only members of the community may edit its wiki."))
    if upload is None or not upload.size:
        raise ValidationError({"image": _("Choose an image to attach.")})
    if upload.size > WIKI_ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "image": _("An image may be at most %(max)s MB.")
                % {"max": WIKI_ATTACHMENT_MAX_BYTES // (1024 * 1024)}
            }
        )
    image_format, width, height = _inspect(upload)
    stem = (upload.name or "image").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    try:
        stem = get_valid_filename(stem)[:180]
    except Exception:  # a name of dots or nothing: Django refuses it, we rename it
        stem = "image"
    name = f"{stem}.{EXTENSIONS[image_format]}"
    with transaction.atomic():
        attachment = Attachment(
            page=page,
            name=name,
            content_type=FORMATS[image_format],
            width=width,
            height=height,
            size=upload.size,
            uploaded_by=person,
        )
        attachment.image.save(name, upload, save=False)
        try:
            attachment.save()
        except Exception:
            attachment.image.delete(save=False)
            raise
    return attachment
