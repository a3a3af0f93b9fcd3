"""PostgreSQL as Django's backend, with a health check of persistent connections that costs no round trip."""
