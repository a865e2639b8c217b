#pragma once
// The structural pre-scan of untrusted XML: one pass over the bytes, before libxml2 builds any
// tree, that refuses documents over signing::Limits. It costs O(n) in the input size and
// allocates nothing per node (one array of max_depth + 1 counters).
//
// It counts, never parses: tags, attributes, namespace declarations, quotes, comments, CDATA
// sections, processing instructions and text runs, the way an XML 1.0 parser delimits them. For a
// well-formed document the counts are exact. Where a parser and a mere counter could part ways
// over a malformed document (a '<' inside a tag or an attribute value, "--" inside a comment, an
// end tag with more than a name in it, attributes not separated by white space, a DOCTYPE, an
// encoding whose markup bytes are not ASCII's), it refuses instead of guessing: libxml2 keeps
// going after its first error, so it must never see structure the scan did not count. Input that
// ends inside a construct is left to the parser (nothing follows that could escape the count).
// UTF-8 and the ASCII-compatible 8-bit encodings are scanned as bytes, UTF-16 (with a byte order
// mark or detected from "<?") as 16-bit units; UCS-4, EBCDIC and other declared encodings are
// refused.
//
// Returns (signing::Error codes): kTooLarge (the document or one text run, CDATA section,
// comment, PI or attribute value over its byte limit), kTooDeep, kDocumentTooComplex (attributes
// or namespace declarations on one element, namespaces in scope, nodes in the document),
// kDoctypeForbidden, kMalformedXml (the refusals above). Messages name the limit, e.g. "an element
// has more than 64 attributes". Thread-safety: a pure function.
#include <string_view>

#include "signing/error.hpp"
#include "signing/limits.hpp"

namespace motcua::signing {

Status check_xml_structure(std::string_view xml, const Limits& limits);

}  // namespace motcua::signing
