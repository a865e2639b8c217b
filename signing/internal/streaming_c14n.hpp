#pragma once
// Internal to signing/: the Signer's fast path. One pass over the input bytes, without building a
// tree, gives what the Signer needs from a document it is about to sign: the exclusive XML
// canonicalisation 1.0 without comments of the whole document (`id` empty) or of the element
// whose Id / ID / id attribute equals `id`, and where that element ends in the input.
// It handles a strict subset of XML only (signing/internal/strict_xml_lexer.hpp, plus: no
// DOCTYPE, declared prefixes, no duplicate attribute after namespace expansion, absolute
// namespace URIs, nothing over `limits`, every Id value once, no xml:id naming `id`, no
// ds:Signature anywhere) and returns nullopt for anything else: the caller then runs the libxml2
// path (parse_untrusted + exclusive_c14n), which accepts or refuses such documents as it always
// has. For what it accepts, the output is byte for byte what internal::exclusive_c14n gives over
// the parse_untrusted tree (tests/signing/streaming_c14n_test.cpp compares them).
// Thread-safety: pure function of its arguments.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "signing/internal/xml_parse.hpp"
#include "signing/limits.hpp"

namespace motcua::signing::internal {

struct StreamedElement {
  std::string canonical;                // exclusive c14n of the element (or of the document)
  ElementEnd end;                       // where the element ends in the input
  std::string_view qname;               // its name as written in the input (a view into it)
  std::unordered_set<std::string> ids;  // every Id / ID / id / xml:id value in the document
};

std::optional<StreamedElement> streaming_exclusive_c14n(std::string_view xml, std::string_view id,
                                                        const Limits& limits);

}  // namespace motcua::signing::internal
