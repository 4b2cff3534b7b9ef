"""Uploaded photos (SPEC §12.6): checked as images, re-encoded, size-limited, metadata stripped.

A photo is decoded by Pillow (so an HTML or script file renamed .png is refused), re-encoded as a
fresh JPEG from the pixels alone — which drops EXIF, GPS, XMP and any trailing payload — after
turning it upright by its EXIF orientation, and scaled down to a sensible size.
"""
from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_NOT_IMAGE = _("The file is not a photo. Upload a photo in JPEG, PNG or WebP format.")
PHOTO_TOO_LARGE = _("The photo is too large. The maximum is %(mb)s MB.")
PHOTO_TOO_MANY_PIXELS = _("The photo has too many pixels to process.")

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
MAX_EDGE = 2560
MAX_PIXELS = 60_000_000  # well above any phone camera, far below a decompression bomb


def photo_max_bytes() -> int:
    return getattr(settings, "PHOTO_MAX_BYTES", 10 * 1024 * 1024)


def photo_clean(upload: UploadedFile) -> ContentFile:
    """A re-encoded JPEG ready to save, or ValidationError with a message for the person."""
    limit = photo_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(PHOTO_TOO_LARGE, params={"mb": limit // (1024 * 1024)})
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(PHOTO_TOO_LARGE, params={"mb": limit // (1024 * 1024)})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(PHOTO_NOT_IMAGE)
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(PHOTO_TOO_MANY_PIXELS)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, (255, 255, 255))
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            image.thumbnail((MAX_EDGE, MAX_EDGE))
            out = io.BytesIO()
            # No exif=, no icc_profile=, no xmp=: the new file carries pixels only.
            image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(PHOTO_NOT_IMAGE) from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
