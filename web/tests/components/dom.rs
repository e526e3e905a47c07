//! HTML compared as trees: element names, attributes as a set (classes as a
//! set of classes), and text with whitespace collapsed, so a port may lay out
//! its markup differently from Nunjucks and still be the same page.

use std::collections::{BTreeMap, BTreeSet};

use scraper::{ElementRef, Html};

/// A parsed HTML node, reduced to what a browser and a screen reader see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Element { name: String, attributes: BTreeMap<String, Attribute>, children: Vec<Node> },
    Text(String),
}

/// An attribute's value; `class` is a set, so order and repeats do not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attribute {
    Classes(BTreeSet<String>),
    Value(String),
}

/// The fragment's top-level nodes.
pub fn parse(html: &str) -> Vec<Node> {
    // A fragment parses into a synthetic <html> element holding its nodes.
    children(Html::parse_fragment(html).root_element())
}

fn children(parent: ElementRef<'_>) -> Vec<Node> {
    let mut out = Vec::new();
    for child in parent.children() {
        if let Some(element) = ElementRef::wrap(child) {
            let value = element.value();
            let attributes = value
                .attrs()
                .map(|(name, value)| {
                    let value = if name == "class" {
                        Attribute::Classes(value.split_ascii_whitespace().map(str::to_owned).collect())
                    } else {
                        Attribute::Value(value.to_owned())
                    };
                    (name.to_owned(), value)
                })
                .collect();
            out.push(Node::Element {
                name: value.name().to_owned(),
                attributes,
                children: children(element),
            });
        } else if let Some(text) = child.value().as_text() {
            let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if collapsed.is_empty() {
                continue;
            }
            // Text split by a dropped comment is still one run of text.
            if let Some(Node::Text(previous)) = out.last_mut() {
                previous.push(' ');
                previous.push_str(&collapsed);
            } else {
                out.push(Node::Text(collapsed));
            }
        }
    }
    out
}

/// Where two trees first differ, as a path of element names and a reason.
pub fn first_difference(expected: &[Node], actual: &[Node]) -> Option<String> {
    difference(expected, actual, &mut Vec::new())
}

fn difference(expected: &[Node], actual: &[Node], path: &mut Vec<String>) -> Option<String> {
    for (index, pair) in expected.iter().zip(actual).enumerate() {
        match pair {
            (
                Node::Element { name: e_name, attributes: e_attributes, children: e_children },
                Node::Element { name: a_name, attributes: a_attributes, children: a_children },
            ) => {
                path.push(format!("{e_name}[{index}]"));
                if e_name != a_name {
                    return Some(format!("{}: expected <{e_name}>, rendered <{a_name}>", path.join(" > ")));
                }
                if e_attributes != a_attributes {
                    return Some(format!(
                        "{}: expected attributes {e_attributes:?}, rendered {a_attributes:?}",
                        path.join(" > ")
                    ));
                }
                if let Some(found) = difference(e_children, a_children, path) {
                    return Some(found);
                }
                path.pop();
            }
            (expected, actual) if expected != actual => {
                return Some(format!("{}: expected {expected:?}, rendered {actual:?}", path.join(" > ")));
            }
            _ => {}
        }
    }
    if expected.len() != actual.len() {
        return Some(format!(
            "{}: expected {} nodes, rendered {}: {:?}",
            path.join(" > "),
            expected.len(),
            actual.len(),
            if expected.len() > actual.len() { &expected[actual.len()..] } else { &actual[expected.len()..] }
        ));
    }
    None
}
