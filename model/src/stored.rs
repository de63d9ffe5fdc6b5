//! `stored_enum!`: a status or kind stored as text, declared once as
//! `Variant = "word" => "French label"`. The sea-orm `string_value`s (with the `orm`
//! feature), `as_str`, `parse`, `label` and `ALL` all come from that one list, so a new
//! value is one line and no stored word or label is written twice.

/// Declares a text-stored enum (see the module doc). Docs and extra derives go before
/// `enum` as usual; every such enum is `Copy`, `Eq`, `Hash` and (de)serializable by its
/// variant name (what already-stored JSON payloads hold).
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $word:literal => $label:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "orm", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
        #[cfg_attr(
            feature = "orm",
            sea_orm(rs_type = "String", db_type = "String(sea_orm::sea_query::StringLen::None)")
        )]
        $vis enum $name {
            $( $(#[$vmeta])* #[cfg_attr(feature = "orm", sea_orm(string_value = $word))] $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [Self; [$($word),+].len()] = [$(Self::$variant),+];

            /// The stored word (also the code in addresses, forms and the search index).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $word,)+
                }
            }

            /// The value a stored word, a form or an address names (`None` otherwise).
            pub fn parse(word: &str) -> Option<Self> {
                match word {
                    $($word => Some(Self::$variant),)+
                    _ => None,
                }
            }

            /// What a French reader sees.
            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    stored_enum! {
        /// A test enum.
        pub enum Colour {
            Red = "rouge" => "Rouge",
            Green = "vert" => "Vert",
        }
    }

    #[test]
    fn one_list_gives_words_labels_and_parsing() {
        assert_eq!(Colour::ALL, [Colour::Red, Colour::Green]);
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()), Some(c));
        }
        assert_eq!(Colour::parse("bleu"), None);
        assert_eq!(Colour::Green.label(), "Vert");
    }

    #[cfg(feature = "orm")]
    #[test]
    fn the_stored_value_is_the_word() {
        for c in Colour::ALL {
            assert_eq!(sea_orm::ActiveEnum::to_value(&c), c.as_str());
        }
        assert_eq!(
            <Colour as sea_orm::ActiveEnum>::try_from_value(&"vert".to_string()).ok(),
            Some(Colour::Green)
        );
    }
}
