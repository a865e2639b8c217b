#include "workflows/xml_schema.hpp"

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "base/c_handle.hpp"

namespace motcua::workflows {
namespace {

using base::CHandle;

// A document with a long list of errors is reported up to this many; the rest add nothing.
constexpr std::size_t kMaxSchemaErrors = 50;

struct Collector {
  std::string source;
  Diagnostics diagnostics;
  bool truncated = false;
};

// "{urn:motcua:workflow:1}state" -> "state": the namespace is noise for a definition author.
std::string readable(const char* message) {
  std::string text = message == nullptr ? "schema violation" : message;
  for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open)) {
    std::size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    text.erase(open, close - open + 1);
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

void collect(void* data, xmlErrorPtr error) {
  auto* collector = static_cast<Collector*>(data);
  if (error == nullptr || error->level < XML_ERR_ERROR) return;
  if (collector->diagnostics.size() >= kMaxSchemaErrors) {
    collector->truncated = true;
    return;
  }
  collector->diagnostics.push_back(
      Diagnostic{collector->source, error->line, readable(error->message)});
}

}  // namespace

struct XmlSchema::Compiled {
  XmlDocument document;  // the schema's own tree, kept alive for as long as the schema
  CHandle<xmlSchema, xmlSchemaFree> schema;
};

tl::expected<XmlSchema, Diagnostic> XmlSchema::load_file(const std::string& path) {
  auto document = XmlDocument::parse_file(path, XmlLimits{1024 * 1024, 64});
  if (!document) return tl::unexpected(std::move(document.error()));

  CHandle<xmlSchemaParserCtxt, xmlSchemaFreeParserCtxt> parser(
      xmlSchemaNewDocParserCtxt(document->get()));
  if (!parser) return tl::unexpected(Diagnostic{path, 0, "cannot create a schema parser"});
  Collector collector{path, {}};
  xmlSchemaSetParserStructuredErrors(parser.get(), collect, &collector);
  CHandle<xmlSchema, xmlSchemaFree> schema(xmlSchemaParse(parser.get()));
  if (!schema) {
    if (!collector.diagnostics.empty()) return tl::unexpected(collector.diagnostics.front());
    return tl::unexpected(Diagnostic{path, 0, "not a valid XML schema"});
  }
  auto compiled = std::make_shared<Compiled>(Compiled{std::move(*document), std::move(schema)});
  return XmlSchema(std::move(compiled));
}

Diagnostics XmlSchema::validate(const XmlDocument& document) const {
  Collector collector{document.source(), {}};
  CHandle<xmlSchemaValidCtxt, xmlSchemaFreeValidCtxt> context(
      xmlSchemaNewValidCtxt(compiled_->schema.get()));
  if (!context) {
    collector.diagnostics.push_back({document.source(), 0, "cannot create a schema validator"});
    return collector.diagnostics;
  }
  xmlSchemaSetValidStructuredErrors(context.get(), collect, &collector);
  const int rc = xmlSchemaValidateDoc(context.get(), document.get());
  if (rc != 0 && collector.diagnostics.empty())
    collector.diagnostics.push_back(
        {document.source(), 0, "the document does not match the schema"});
  if (collector.truncated)
    collector.diagnostics.push_back({document.source(), 0,
                                     "more schema errors follow; only the first " +
                                         std::to_string(kMaxSchemaErrors) + " are shown"});
  return collector.diagnostics;
}

}  // namespace motcua::workflows
