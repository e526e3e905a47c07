//! The OpenAPI document: collected from the routes by utoipa-actix-web, then
//! given its fixed header, its security scheme, and each operation's roles from
//! the role matrix, so the document and the enforcement cannot disagree.

use utoipa::{
    Modify, OpenApi,
    openapi::{
        self,
        extensions::ExtensionsBuilder,
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};

use crate::auth::Operation;
use crate::http::{FieldError, Problem};

/// The fixed parts of the document. Set by hand so a crate version bump does
/// not churn the committed file.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Caucus API",
        version = "1",
        description = "The event-sourced record of a council political group's office: members, \
bodies, appointments, decisions and actions. Every change is an immutable event with who made it \
and when.\n\nAuthenticate with a bearer JSON Web Token carrying `sub`, `iss`, `aud`, `exp`, \
`group` (the tenant) and `roles`. Each operation lists the roles allowed to call it. Errors are \
RFC 9457 problem documents. Reads return an `ETag` (the record's version); send it back as \
`If-Match` to make a write conditional. Send an `Idempotency-Key` with a POST to retry it safely.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&BearerAuth)
)]
#[derive(Debug)]
pub struct BaseDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "A token from the group's identity provider, or `caucus token` in development",
                    ))
                    .build(),
            ),
        );
    }
}

/// Writes each operation's allowed roles into its description and an
/// `x-roles` extension.
pub fn document_roles(doc: &mut openapi::OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
        for operation in operations.into_iter().flatten() {
            let Some(op) = operation.operation_id.as_deref().and_then(Operation::by_id) else {
                continue;
            };
            let roles: Vec<&str> = op.roles().iter().map(|r| r.as_str()).collect();
            let line = format!("**Roles:** {}", roles.join(", "));
            operation.description = Some(match operation.description.take() {
                Some(text) if !text.is_empty() => format!("{text}\n\n{line}"),
                _ => line,
            });
            let extension = ExtensionsBuilder::new().add("x-roles", roles).build();
            match &mut operation.extensions {
                Some(existing) => existing.merge(extension),
                None => operation.extensions = Some(extension),
            }
        }
    }
}

/// A header is sent or not, never `null`: utoipa states an optional header
/// parameter as "its type or null", which generators and fuzzers take for
/// an invitation to send the word `null`. Keeps the type alone.
pub fn document_optional_headers(doc: &mut openapi::OpenApi) {
    use openapi::{RefOr, Schema, path::ParameterIn};
    for item in doc.paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
        for operation in operations.into_iter().flatten() {
            for parameter in operation.parameters.iter_mut().flatten() {
                let RefOr::T(parameter) = parameter else { continue };
                if parameter.parameter_in != ParameterIn::Header {
                    continue;
                }
                if let Some(RefOr::T(Schema::OneOf(one_of))) = &parameter.schema {
                    let not_null = one_of.items.iter().find(|item| {
                        !matches!(item, RefOr::T(Schema::Object(object))
                            if object.schema_type == openapi::schema::SchemaType::Type(openapi::Type::Null))
                    });
                    parameter.schema = not_null.cloned();
                }
            }
        }
    }
}

/// Links each create (a POST answered 201 with the record) to the operations
/// on the record it made (`<collection>/{id}...`), its id taken from the
/// answer, so a client, or a fuzzer's stateful phase, can follow from a new
/// record to reading and changing it.
pub fn document_links(doc: &mut openapi::OpenApi) {
    use openapi::{RefOr, link::LinkBuilder};
    let operations: Vec<(String, String)> = doc
        .paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            [&item.get, &item.post, &item.put, &item.patch, &item.delete]
                .into_iter()
                .flatten()
                .filter_map(|op| op.operation_id.clone())
                .map(move |id| (path.clone(), id))
        })
        .collect();
    for (path, item) in doc.paths.paths.iter_mut() {
        let Some(create) = &mut item.post else { continue };
        let Some(RefOr::T(created)) = create.responses.responses.get_mut("201") else { continue };
        let record = format!("{path}/{{id}}");
        for (other, operation_id) in &operations {
            if other == &record || other.starts_with(&format!("{record}/")) {
                let link = LinkBuilder::new()
                    .operation_id(operation_id)
                    .parameter("id", "$response.body#/id")
                    .description(format!("The record just made: {operation_id}"))
                    .build();
                created.links.insert(operation_id.clone(), link.into());
            }
        }
    }
}
