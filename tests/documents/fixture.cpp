#include "tests/documents/fixture.hpp"

#include <doctest/doctest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>

#include "base/c_handle.hpp"
#include "signing/library.hpp"
#include "workflows/catalog.hpp"
#include "workflows/procedure_loader.hpp"
#include "workflows/xml_library.hpp"

namespace motcua::documents::test {
namespace {

template <class T, auto F>
using Handle = base::CHandle<T, F>;

const std::string kSource = MOTCUA_SOURCE_DIR;

struct Libraries {
  workflows::XmlLibrary xml;  // constructed first, destroyed last (it cleans libxml2 up)
  signing::Library signing;
};

Libraries& libraries() {
  static Libraries libs;
  return libs;
}

struct DemoKeys {
  std::string dir;
  bool ok = false;
  DemoKeys() {
    std::filesystem::path base = std::filesystem::path(MOTCUA_BINARY_DIR) / "test-tmp";
    std::filesystem::create_directories(base);
    std::string templ = (base / "exchange-keys-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) return;
    dir = templ;
    const std::string cmd = kSource + "/samples/pki/make-demo-keys '" + dir + "' '" + kSource +
                            "/samples/demo/agencies.tsv' >/dev/null";
    ok = std::system(cmd.c_str()) == 0;
  }
  ~DemoKeys() {
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }
};

const DemoKeys& the_keys() {
  static DemoKeys keys;
  return keys;
}

engine::Instant at(const char* text) {
  auto instant = engine::parse_instant(text);
  REQUIRE(instant.has_value());
  return *instant;
}

Handle<xmlDoc, xmlFreeDoc> parse(const std::string& xml) {
  Handle<xmlDoc, xmlFreeDoc> doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "test.xml", nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  REQUIRE_MESSAGE(doc != nullptr, "not well-formed: " << xml);
  return doc;
}

const xmlNode* find(const xmlNode* node, const std::string& name) {
  for (; node != nullptr; node = node->next) {
    if (node->type != XML_ELEMENT_NODE) continue;
    if (name == reinterpret_cast<const char*>(node->name)) return node;
    if (const xmlNode* inner = find(node->children, name)) return inner;
  }
  return nullptr;
}

void collect(void* data, xmlErrorPtr error) {
  auto* text = static_cast<std::string*>(data);
  if (error != nullptr && error->message != nullptr) *text += error->message;
}

}  // namespace

const std::string& demo_dir() {
  REQUIRE(libraries().signing.ok());
  const DemoKeys& keys = the_keys();
  REQUIRE_MESSAGE(keys.ok, "make-demo-keys failed");
  return keys.dir;
}

std::shared_ptr<const AgencyKeys> demo_keys() {
  static std::shared_ptr<const AgencyKeys> keys = [] {
    auto loaded = AgencyKeys::load({demo_dir() + "/keys", demo_dir() + "/keys.pass"});
    REQUIRE_MESSAGE(loaded.has_value(),
                    (loaded ? "" : loaded.error().message + " " + loaded.error().detail));
    return *loaded;
  }();
  return keys;
}

std::vector<engine::AgencyRecord> demo_agencies() {
  std::ifstream in(kSource + "/samples/demo/agencies.tsv");
  REQUIRE(in.good());
  std::vector<engine::AgencyRecord> agencies;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> columns;
    std::stringstream row(line);
    for (std::string column; std::getline(row, column, '\t');) columns.push_back(column);
    REQUIRE(columns.size() == 4);
    agencies.push_back({columns[1], columns[0], {columns[2], columns[3]}});
  }
  REQUIRE(agencies.size() == 8);
  return agencies;
}

const XmlDocumentIssuer& issuer() {
  static std::shared_ptr<const XmlDocumentIssuer> made = [] {
    auto created = XmlDocumentIssuer::create({demo_keys(), kSource + "/schemas", demo_agencies()});
    REQUIRE_MESSAGE(created.has_value(),
                    (created ? "" : created.error().message + " " + created.error().detail));
    return *created;
  }();
  return *made;
}

const signing::Verifier& verifier() {
  static signing::Verifier v = [] {
    auto made = signing::Verifier::create({{demo_dir() + "/trust"}, {}, true});
    REQUIRE_MESSAGE(made.has_value(), (made ? "" : made.error().message));
    return *made;
  }();
  return v;
}

const engine::Procedure& procedure(const std::string& code) {
  static std::map<std::string, workflows::ProcedurePtr> procedures = [] {
    REQUIRE(libraries().signing.ok());
    auto loader = workflows::ProcedureLoader::create(kSource + "/schemas/workflow.xsd");
    REQUIRE(loader.has_value());
    auto report = workflows::Catalog::load_directory(*loader, kSource + "/workflows/catalog");
    REQUIRE(report.has_value());
    REQUIRE(report->problems.empty());
    std::map<std::string, workflows::ProcedurePtr> all;
    for (const auto& p : report->catalog.all()) all[p->code] = p;
    return all;
  }();
  auto it = procedures.find(code);
  REQUIRE_MESSAGE(it != procedures.end(), "no procedure " << code);
  return *it->second;
}

engine::Dossier judicial_dossier() {
  engine::Dossier dossier;
  dossier.code = "000.01.21.H57-261127-0007";
  dossier.procedure_code = "3.000333";
  dossier.procedure_version = 2;
  dossier.channel = engine::Channel::kDesk;
  // 3.000333 is received and decided at province level (Công an tỉnh), catalogue version 2.
  dossier.agency_ids = {{"province-police", "000.00.04.H57"}};
  dossier.state = "verification";
  dossier.status = engine::StatusCode::kProcessing;
  dossier.submitted_at = at("2026-11-27T09:10:00+07:00");
  dossier.clock_start = at("2026-11-27T09:30:00+07:00");
  dossier.due = at("2026-12-11T09:30:00+07:00");
  return dossier;
}

engine::ReceiptRequest judicial_receipt_request() {
  engine::ReceiptRequest request;
  request.applicant_name = "Nguyễn Thị Hồng Nhung";
  request.components = {{"application", false}, {"identity-document", true}};
  request.received_at = at("2026-11-27T09:30:00+07:00");
  request.officer = {engine::ActorKind::kOfficer, "police.desk", "000.00.04.H57", "desk"};
  request.officer_name = "Phan Thị Yến";
  return request;
}

engine::ResultRequest judicial_result_request() {
  engine::ResultRequest request;
  request.agency_id = "000.00.04.H57";
  request.applicant_name = "Nguyễn Thị Hồng Nhung";
  request.decision = engine::ResultDecision::kApproved;
  request.issued_at = at("2026-12-08T15:45:00+07:00");
  request.signer = {engine::ActorKind::kOfficer, "police.leader", "000.00.04.H57", "leader"};
  request.signer_name = "Mai Văn Đức";
  return request;
}

std::string schema_errors(const std::string& schema, const std::string& xml) {
  auto schema_doc = parse(read_file(kSource + "/schemas/" + schema));
  Handle<xmlSchemaParserCtxt, xmlSchemaFreeParserCtxt> parser(
      xmlSchemaNewDocParserCtxt(schema_doc.get()));
  REQUIRE(parser != nullptr);
  Handle<xmlSchema, xmlSchemaFree> compiled(xmlSchemaParse(parser.get()));
  REQUIRE_MESSAGE(compiled != nullptr, schema << " does not compile");
  Handle<xmlSchemaValidCtxt, xmlSchemaFreeValidCtxt> context(xmlSchemaNewValidCtxt(compiled.get()));
  std::string errors;
  xmlSchemaSetValidStructuredErrors(context.get(), collect, &errors);
  auto doc = parse(xml);
  const int rc = xmlSchemaValidateDoc(context.get(), doc.get());
  if (rc != 0 && errors.empty()) errors = "invalid (" + std::to_string(rc) + ")";
  return errors;
}

std::string element_text(const std::string& xml, const std::string& local_name) {
  auto doc = parse(xml);
  const xmlNode* node = find(xmlDocGetRootElement(doc.get()), local_name);
  if (node == nullptr) return {};
  xmlChar* content = xmlNodeGetContent(node);
  std::string text = content == nullptr ? "" : reinterpret_cast<const char*>(content);
  xmlFree(content);
  return text;
}

std::string attribute_value(const std::string& xml, const std::string& local_name,
                            const std::string& attribute) {
  auto doc = parse(xml);
  const xmlNode* node = find(xmlDocGetRootElement(doc.get()), local_name);
  REQUIRE_MESSAGE(node != nullptr, "no element " << local_name);
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(attribute.c_str()));
  std::string text = value == nullptr ? "" : reinterpret_cast<const char*>(value);
  xmlFree(value);
  return text;
}

bool xmlsec1_verifies(const std::string& signed_xml, const std::string& id_node) {
  static int counter = 0;
  const std::string file = fresh_dir("xmlsec1-" + std::to_string(++counter)) + "/signed.xml";
  write_file(file, signed_xml);
  const std::string cmd = "xmlsec1 --verify --enabled-key-data x509 --trusted-pem '" + demo_dir() +
                          "/trust/root-ca.pem' --id-attr:Id '" + id_node +
                          "' --id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties '" +
                          file + "'";
  std::string output;
  const int status = run(cmd, &output);
  INFO("xmlsec1: " << output);
  return status == 0 && output.find("OK") != std::string::npos;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

std::string fresh_dir(const std::string& name) {
  const std::string dir = demo_dir() + "/tmp/" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

int run(const std::string& command, std::string* output) {
  const std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  std::string text;
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) text.append(buffer, n);
  const int status = pclose(pipe);
  if (output != nullptr) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto where = text.find(from);
  REQUIRE_MESSAGE(where != std::string::npos, "'" << from << "' not found");
  text.replace(where, from.size(), to);
  return text;
}

}  // namespace motcua::documents::test
