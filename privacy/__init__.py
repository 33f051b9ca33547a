"""The privacy layer (Article 22-23): nothing personal leaves the hub unmasked, nothing
personal sits in the database or the logs in clear.

- :mod:`privacy.catalogue` / ``catalogue.json``: the Article 23 field catalogue as data
- :mod:`privacy.crypto`: field encryption (AES-256-GCM, SM4-GCM), key ring, blind indexes
- :mod:`privacy.config`: keys from ``HUB_KEYS`` / ``HUB_KEYS_FILE`` and key files
- :mod:`privacy.pii`: Chinese PII detection and scrubbing in free text
- :mod:`privacy.masking`: keyed pseudonyms, generalisers, ``mask_case`` for the data bureau
- :mod:`privacy.aggregates`: small-cell and complementary suppression
- :mod:`privacy.logfilter`: logging filter and structlog processor
- :mod:`privacy.testing`: seeded generators for tests and benchmarks (uses Faker)

This package imports no part of the hub's store, API, SQLAlchemy or Starlette.
"""
