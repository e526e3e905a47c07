//! The Caucus web client: the office's daily screens, server-rendered, as a
//! pure client of the api. Every read and write is a call to the api with the
//! signed-in person's own token ([`api`]); pages are GOV.UK Frontend's
//! components ported to Tera ([`components`]) around page templates
//! ([`render`]), styled and enhanced by its vendored assets ([`assets`]), and
//! work without JavaScript.

pub mod api;
pub mod assets;
pub mod components;
pub mod config;
pub mod oidc;
pub mod pages;
pub mod present;
pub mod render;
pub mod session;
pub mod startup;
