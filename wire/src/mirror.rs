//! Enums of the contract made from the domain's, variant for variant.

/// A domain value that a wire enum does not carry (a record's state before
/// its first event).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotOnTheWire(pub &'static str);

impl std::fmt::Display for NotOnTheWire {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is never shown", self.0)
    }
}

impl std::error::Error for NotOnTheWire {}

/// A wire enum and the domain enum it mirrors.
pub trait Mirror: Copy + 'static {
    /// The domain's enum.
    type Domain;
    /// Every variant of the wire enum.
    const ALL: &'static [Self];
    /// The domain's variant.
    fn domain(self) -> Self::Domain;
}

/// Declares a wire enum mirroring a domain enum, and the conversions both
/// ways. Both spell each variant's word from its name in snake case; a test
/// checks the words are the same. Every domain variant is listed, either as a
/// wire variant or after `internal` (never shown), so a variant added to the
/// domain fails to compile here until it is placed.
macro_rules! mirror {
    (
        $(#[$meta:meta])*
        pub enum $name:ident = $domain:ty {
            $( $(#[$vmeta:meta])* $variant:ident ),+ $(,)?
        }
        internal { $($internal:ident),+ $(,)? }
    ) => {
        $crate::mirror::mirror!(@common $(#[$meta])* $name = $domain { $( $(#[$vmeta])* $variant ),+ });

        impl TryFrom<$domain> for $name {
            type Error = $crate::mirror::NotOnTheWire;
            fn try_from(value: $domain) -> Result<Self, Self::Error> {
                match value {
                    $( <$domain>::$variant => Ok(Self::$variant), )+
                    $( <$domain>::$internal => Err($crate::mirror::NotOnTheWire(stringify!($internal))), )+
                }
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub enum $name:ident = $domain:ty {
            $( $(#[$vmeta:meta])* $variant:ident ),+ $(,)?
        }
    ) => {
        $crate::mirror::mirror!(@common $(#[$meta])* $name = $domain { $( $(#[$vmeta])* $variant ),+ });

        impl From<$domain> for $name {
            fn from(value: $domain) -> Self {
                match value {
                    $( <$domain>::$variant => Self::$variant, )+
                }
            }
        }
    };
    (@common $(#[$meta:meta])* $name:ident = $domain:ty { $( $(#[$vmeta:meta])* $variant:ident ),+ }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl From<$name> for $domain {
            fn from(value: $name) -> Self {
                match value {
                    $( $name::$variant => <$domain>::$variant ),+
                }
            }
        }

        impl $crate::mirror::Mirror for $name {
            type Domain = $domain;
            const ALL: &'static [Self] = &[$( Self::$variant ),+];
            fn domain(self) -> Self::Domain {
                self.into()
            }
        }
    };
}
pub(crate) use mirror;

#[cfg(test)]
pub(crate) fn assert_same_words<M>()
where
    M: Mirror + serde::Serialize + std::fmt::Debug,
    M::Domain: serde::Serialize,
{
    for value in M::ALL {
        assert_eq!(
            serde_json::to_value(value).expect("json"),
            serde_json::to_value(value.domain()).expect("json"),
            "{value:?} is spelled differently on the wire and in the domain"
        );
    }
}
