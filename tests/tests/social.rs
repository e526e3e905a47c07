//! Social posts: the connectors against fake networks, and the dispatcher
//! between the real api and fake Mastodon, Bluesky and webhook servers.

mod social {
    pub mod connectors;
    pub mod end_to_end;
    pub mod fake;
}
