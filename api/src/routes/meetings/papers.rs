//! A meeting's papers: attached to an item (a link, or a stored file that
//! everyone who may read the paper may read) and despatched.

use actix_web::{HttpRequest, HttpResponse, post, web};
use caucus_wire::meetings::{AttachPaperRequest, DespatchPapersRequest, MeetingView};
use chrono::Utc;
use uuid::Uuid;

use super::super::{
    AppState,
    command::{self, Write, record_command},
};
use crate::app::files;
use crate::auth::{Caller, Operation};
use crate::domain::{
    Classification, Title,
    meeting::{MeetingCommand, PaperDraft},
};
use crate::http::{ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody};

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    attach_paper,
    AttachPaper,
    post,
    "/meetings/{id}/papers",
    "Attach a paper to an agenda item: a link, or a file stored with POST /files that everyone who may read the paper may read",
    AttachPaperRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let title = fields.check("/title", &value.title);
        let link = fields.link("/link", value.link.as_deref());
        let classification: Classification = value.classification.into();
        let file = match &value.file_id {
            None => None,
            Some(file_id) => {
                let scope = command::scope(&state, &caller);
                files::paper_file(&scope, file_id, classification, "/file_id", &mut fields).await?
            }
        };
        if value.link.is_some() == value.file_id.is_some() {
            fields.reject("/link", "give either link or file_id");
        }
        fields.finish(|| {
            Some(MeetingCommand::AttachPaper {
                item_id: value.item_id,
                paper_id: Uuid::now_v7(),
                paper: PaperDraft { title: title?, link: link?, file, classification },
            })
        })
    }
);

record_command!(
    MeetingView,
    MeetingCommand,
    "meetings",
    despatch_papers,
    DespatchPapers,
    post,
    "/meetings/{id}/despatches",
    "Despatch every paper not yet despatched, recording when and to whom; papers after the rule's day are flagged late",
    DespatchPapersRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let to: Vec<Option<Title>> =
            value.to.iter().enumerate().map(|(n, to)| fields.check(&format!("/to/{n}"), to)).collect();
        if value.to.is_empty() {
            fields.reject("/to", "must name at least one recipient");
        }
        fields.finish(|| {
            Some(MeetingCommand::DespatchPapers {
                at: value.at.unwrap_or_else(Utc::now),
                to: to.into_iter().collect::<Option<Vec<_>>>()?,
            })
        })
    }
);
