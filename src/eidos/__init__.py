"""eidos: Cloud Native Stack for GPU-accelerated Kubernetes (snapshot, recipe, bundle)."""

__version__ = "0.1.0"

#: Where releases publish the eidos image (tag ``v<version>``); the agent's default image,
#: ``make image`` and ``make image-push`` all read it from here (docs/release.md).
IMAGE_REPOSITORY = "ghcr.io/nvidia/eidos"

__all__ = ["IMAGE_REPOSITORY", "__version__"]
