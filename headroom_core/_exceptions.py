"""The one exception tree of headroom-image.

::

    HeadroomError
    ├── ConfigurationError (ValueError)        bad argument or option
    │   └── UnknownModelError                  no cost rule for a provider/model
    ├── MissingDependencyError (ImportError)   an optional extra is not installed
    ├── ModelUnavailableError (OSError)        weights could not be found or loaded
    ├── UnsupportedImageError (ValueError)     bytes that cannot be decoded safely
    ├── TechniqueRefusedError                  a technique declines an image (reason recorded)
    └── CompressionTimeoutError (TimeoutError) an image exceeded its time budget

Library code raises only these (plus the builtins they subclass), so callers may catch
``HeadroomError`` once.
"""

from __future__ import annotations

__all__ = [
    "CompressionTimeoutError",
    "ConfigurationError",
    "HeadroomError",
    "MissingDependencyError",
    "ModelUnavailableError",
    "TechniqueRefusedError",
    "UnknownModelError",
    "UnsupportedImageError",
]


class HeadroomError(Exception):
    """Base class of every error raised by headroom-image."""


class ConfigurationError(HeadroomError, ValueError):
    """An argument or option is invalid."""


class UnknownModelError(ConfigurationError):
    """No token-cost rule matches the requested provider/model."""


class MissingDependencyError(HeadroomError, ImportError):
    """An optional extra is needed for this feature.

    The message names the extra, e.g. ``pip install 'headroom-image[ocr]'``.
    """


class ModelUnavailableError(HeadroomError, OSError):
    """Model weights could not be located or loaded.

    The message names the model, where it was looked for, and how to fix it.
    """


class UnsupportedImageError(HeadroomError, ValueError):
    """Image bytes that cannot be decoded safely (corrupt, too large, not an image...)."""


class TechniqueRefusedError(HeadroomError):
    """A technique declined to handle an image; ``str(exc)`` is the reason."""


class CompressionTimeoutError(HeadroomError, TimeoutError):
    """Compressing one image exceeded its time budget."""
