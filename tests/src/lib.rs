//! Shared helpers for the differential and end-to-end tests.
