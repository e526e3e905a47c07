//! The Caucus web client. For now: GOV.UK Frontend's components as Tera macros
//! ([`components`]) and the compiled GOV.UK Frontend assets they are styled and
//! enhanced by ([`assets`]).

pub mod assets;
pub mod components;
