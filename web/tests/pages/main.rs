//! The web client's pages against a real api on loopback, over the sample
//! group, as a browser without JavaScript uses them.

mod accessibility;
mod actions;
mod assets;
mod audit;
mod bodies;
mod briefings;
// The group's budget (issue 18).
mod budget;
mod casework;
mod decisions;
// Probity: donations (issue 18).
mod donations;
mod elections;
mod forward_plan;
mod group_events;
mod home;
mod induction;
// Probity: the registers of interests (issue 18).
mod interests;
mod journeys;
mod meetings;
mod members;
mod motions;
mod oidc;
mod publications;
mod social;
mod support;
mod training;
