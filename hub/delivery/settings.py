"""Broker and delivery settings (the embedded default needs none). The class lives in
`hub.config`, the one place that reads the environment, so that the configuration sits
below every package that uses it; it is named here for the delivery code."""

from __future__ import annotations

from hub.config import DeliverySettings as DeliverySettings
