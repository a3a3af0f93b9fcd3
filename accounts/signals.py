"""Receivers: a saved or deleted user is forgotten by the cache of signed-in users (accounts/user_cache.py)."""

from .user_cache import user_cache_forget


def user_changed(sender, instance, **kwargs) -> None:
    user_cache_forget(instance.pk)
