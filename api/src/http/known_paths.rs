//! The paths the api serves and the methods each answers to, so a request
//! that matches no route is told apart: an unknown path is a 404, a known
//! path with another method a 405 naming the allowed ones.

use actix_web::{HttpRequest, HttpResponse, dev::ResourceDef, http::Method, web};

use super::problem::ApiError;

/// Each documented path template with its methods.
#[derive(Debug, Default)]
pub struct KnownPaths {
    paths: Vec<(ResourceDef, Vec<Method>)>,
}

impl KnownPaths {
    /// The paths and methods of an OpenAPI document, whose templates
    /// (`/decisions/{id}`) are actix's own pattern syntax.
    pub fn of(doc: &utoipa::openapi::OpenApi) -> Self {
        let paths = doc
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let methods = [
                    (&item.get, Method::GET),
                    (&item.put, Method::PUT),
                    (&item.post, Method::POST),
                    (&item.delete, Method::DELETE),
                    (&item.patch, Method::PATCH),
                ]
                .into_iter()
                .filter_map(|(operation, method)| operation.as_ref().map(|_| method))
                .collect();
                (ResourceDef::new(template.as_str()), methods)
            })
            .collect();
        Self { paths }
    }

    /// The methods `path` answers to, if it is a known path.
    pub fn allowed(&self, path: &str) -> Option<&[Method]> {
        self.paths.iter().find(|(def, _)| def.is_match(path)).map(|(_, methods)| methods.as_slice())
    }
}

/// The answer to a request no route took: 405 with `Allow` if its path is
/// known, else 404.
pub async fn unrouted(request: HttpRequest, known: web::Data<KnownPaths>) -> Result<HttpResponse, ApiError> {
    Err(match known.allowed(request.path()) {
        Some(allowed) => {
            ApiError::MethodNotAllowed { method: request.method().clone(), allowed: allowed.to_vec() }
        }
        None => ApiError::NotFound("route"),
    })
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::{HttpMethod, OpenApiBuilder, PathItem, PathsBuilder, path::OperationBuilder};

    use super::*;

    fn known() -> KnownPaths {
        let paths = PathsBuilder::new()
            .path("/api/v1/decisions", PathItem::new(HttpMethod::Get, OperationBuilder::new().build()))
            .path("/api/v1/decisions", PathItem::new(HttpMethod::Post, OperationBuilder::new().build()))
            .path("/api/v1/decisions/{id}", PathItem::new(HttpMethod::Get, OperationBuilder::new().build()))
            .build();
        KnownPaths::of(&OpenApiBuilder::new().paths(paths).build())
    }

    #[test]
    fn a_known_path_names_its_methods() {
        assert_eq!(known().allowed("/api/v1/decisions"), Some(&[Method::GET, Method::POST][..]));
        assert_eq!(known().allowed("/api/v1/decisions/42"), Some(&[Method::GET][..]));
    }

    #[test]
    fn an_unknown_path_has_none() {
        assert_eq!(known().allowed("/api/v1/decision"), None);
        assert_eq!(known().allowed("/api/v1/decisions/42/nothing"), None);
    }
}
