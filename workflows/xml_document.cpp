#include "workflows/xml_document.hpp"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include <cctype>
#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <system_error>

#include "base/c_handle.hpp"

namespace motcua::workflows {
namespace {

using base::CHandle;

// What the SAX hooks below learn while libxml2 parses; reached through ctxt->_private.
struct ParseState {
  std::string source;
  XmlLimits limits;
  int depth = 0;
  std::optional<Diagnostic> refusal;      // our own reason to stop (DOCTYPE, depth)
  std::optional<Diagnostic> first_error;  // libxml2's first error
  startElementNsSAX2Func start_element = nullptr;
  endElementNsSAX2Func end_element = nullptr;
};

ParseState& state_of(void* ctx) {
  return *static_cast<ParseState*>(static_cast<xmlParserCtxtPtr>(ctx)->_private);
}

void refuse(void* ctx, std::string message) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  ParseState& state = state_of(ctx);
  if (!state.refusal) state.refusal = Diagnostic{state.source, xmlSAX2GetLineNumber(ctxt), message};
  xmlStopParser(ctxt);
}

void on_doctype(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  refuse(ctx, "a DOCTYPE declaration is not allowed (no DTD, no entities in untrusted XML)");
}

void on_entity_decl(void* ctx, const xmlChar*, int, const xmlChar*, const xmlChar*, xmlChar*) {
  refuse(ctx, "an entity declaration is not allowed");
}

void on_start_element(void* ctx, const xmlChar* localname, const xmlChar* prefix,
                      const xmlChar* uri, int nb_namespaces, const xmlChar** namespaces,
                      int nb_attributes, int nb_defaulted, const xmlChar** attributes) {
  ParseState& state = state_of(ctx);
  if (++state.depth > state.limits.max_depth) {
    refuse(ctx, "elements are nested more than " + std::to_string(state.limits.max_depth) +
                    " levels deep");
    return;
  }
  state.start_element(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                      nb_defaulted, attributes);
}

void on_end_element(void* ctx, const xmlChar* localname, const xmlChar* prefix,
                    const xmlChar* uri) {
  ParseState& state = state_of(ctx);
  --state.depth;
  state.end_element(ctx, localname, prefix, uri);
}

std::string trimmed(const char* text) {
  std::string s = text == nullptr ? "" : text;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Structured error channel: keeps the first error and keeps libxml2 from printing to stderr.
void on_error(void* ctx, xmlErrorPtr error) {
  ParseState& state = state_of(ctx);
  if (error == nullptr || error->level < XML_ERR_ERROR || state.first_error) return;
  state.first_error = Diagnostic{state.source, error->line, trimmed(error->message)};
}

std::string format_size(std::size_t bytes) {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
    return std::to_string(bytes / (1024 * 1024)) + " MiB";
  return std::to_string(bytes) + " bytes";
}

Diagnostic too_large(const std::string& source, std::size_t size, std::size_t limit) {
  return Diagnostic{source, 0,
                    "the document is " + std::to_string(size) + " bytes, more than the limit of " +
                        format_size(limit)};
}

bool is_utf8_name(const char* encoding) {
  std::string e = encoding;
  for (char& c : e) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return e == "UTF-8" || e == "UTF8";
}

}  // namespace

void XmlDocument::Free::operator()(xmlDoc* doc) const noexcept { xmlFreeDoc(doc); }

xmlNode* XmlDocument::root() const noexcept { return xmlDocGetRootElement(doc_.get()); }

tl::expected<XmlDocument, Diagnostic> XmlDocument::parse(std::string_view bytes, std::string source,
                                                         XmlLimits limits) {
  if (bytes.size() > limits.max_bytes || bytes.size() > static_cast<std::size_t>(INT_MAX))
    return tl::unexpected(too_large(source, bytes.size(), limits.max_bytes));
  if (bytes.empty()) return tl::unexpected(Diagnostic{source, 0, "the document is empty"});
  // UTF-16/32 text always holds NUL bytes, and XML 1.0 forbids them: refuse before libxml2 would
  // switch encodings.
  if (std::memchr(bytes.data(), 0, bytes.size()) != nullptr)
    return tl::unexpected(
        Diagnostic{source, 0, "the document is not UTF-8 (it contains NUL bytes)"});

  CHandle<xmlParserCtxt, xmlFreeParserCtxt> ctxt(
      xmlCreateMemoryParserCtxt(bytes.data(), static_cast<int>(bytes.size())));
  if (!ctxt || ctxt->sax == nullptr)
    return tl::unexpected(Diagnostic{source, 0, "cannot create an XML parser (out of memory)"});

  ParseState state;
  state.source = source;
  state.limits = limits;
  ctxt->_private = &state;
  xmlSAXHandler* sax = ctxt->sax;  // owned by the context, a copy of the SAX2 defaults
  state.start_element = sax->startElementNs;
  state.end_element = sax->endElementNs;
  sax->startElementNs = on_start_element;
  sax->endElementNs = on_end_element;
  sax->internalSubset = on_doctype;
  sax->externalSubset = on_doctype;
  sax->entityDecl = on_entity_decl;
  sax->serror = on_error;
  // No NOENT (entities are never substituted), no DTDLOAD/DTDATTR/DTDVALID, no XINCLUDE, no HUGE:
  // libxml2 2.9.14's own limits stay in force (256 levels, 10,000,000-byte attribute values,
  // 50,000-byte names; a text node delivered in one piece is not bounded). It has no option that
  // bounds attributes per element or nodes, and its duplicate-attribute check is quadratic in the
  // attributes of one element
  // (issue 12): signing/xml_structure.hpp's pre-scan bounds those for untrusted documents, and
  // would serve here once it lives where workflows/ may include it (a dependency-free base/).
  xmlCtxtUseOptions(ctxt.get(), XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES);

  xmlParseDocument(ctxt.get());
  CHandle<xmlDoc, xmlFreeDoc> doc(ctxt->myDoc);  // the context never frees myDoc itself
  ctxt->myDoc = nullptr;

  if (state.refusal) return tl::unexpected(std::move(*state.refusal));
  if (!ctxt->wellFormed || !doc) {
    if (state.first_error) return tl::unexpected(std::move(*state.first_error));
    return tl::unexpected(Diagnostic{source, xmlSAX2GetLineNumber(ctxt.get()),
                                     "the document is not well-formed XML"});
  }
  if (doc->encoding != nullptr && !is_utf8_name(reinterpret_cast<const char*>(doc->encoding)))
    return tl::unexpected(Diagnostic{source, 1,
                                     "the document declares encoding '" +
                                         std::string(reinterpret_cast<const char*>(doc->encoding)) +
                                         "'; only UTF-8 is accepted"});
  if (xmlDocGetRootElement(doc.get()) == nullptr)
    return tl::unexpected(Diagnostic{source, 0, "the document has no root element"});
  return XmlDocument(doc.release(), std::move(source));
}

tl::expected<std::string, Diagnostic> read_file_limited(const std::string& path,
                                                        std::size_t max_bytes) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return tl::unexpected(Diagnostic{path, 0, "not a readable file"});
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return tl::unexpected(Diagnostic{path, 0, "cannot read the file: " + ec.message()});
  if (size > max_bytes) return tl::unexpected(too_large(path, size, max_bytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) return tl::unexpected(Diagnostic{path, 0, "cannot open the file"});
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size)
    return tl::unexpected(Diagnostic{path, 0, "cannot read the whole file"});
  return bytes;
}

tl::expected<XmlDocument, Diagnostic> XmlDocument::parse_file(const std::string& path,
                                                              XmlLimits limits) {
  auto bytes = read_file_limited(path, limits.max_bytes);
  if (!bytes) return tl::unexpected(std::move(bytes.error()));
  return parse(*bytes, path, limits);
}

}  // namespace motcua::workflows
