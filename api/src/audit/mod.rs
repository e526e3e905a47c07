//! Audit: the tamper-evident chain over each group's events, its signed
//! checkpoints, verification, and the export format an auditor can verify
//! offline. Pure: the store side is `store::chain`.

pub mod chain;
pub mod checkpoint;
pub mod export;
pub mod verify;
