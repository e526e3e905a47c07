//! The web client's pages against a real api on loopback, over the sample
//! group, as a browser without JavaScript uses them.

mod accessibility;
mod assets;
mod casework;
mod home;
mod journeys;
mod meetings;
mod oidc;
mod publications;
mod support;
