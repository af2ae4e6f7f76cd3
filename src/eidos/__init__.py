"""eidos: Cloud Native Stack for GPU-accelerated Kubernetes (snapshot, recipe, bundle)."""

__version__ = "0.1.0"

__all__ = ["__version__"]
