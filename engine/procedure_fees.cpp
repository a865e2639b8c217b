// Procedure::fee_for and FeeQuote: the fee arithmetic of a procedure definition.
#include <charconv>

#include "engine/procedure.hpp"

namespace motcua::engine {
namespace {

// Upper bound of pages and copies: keeps amount arithmetic far from overflow.
constexpr std::int64_t kMaxCount = 1'000'000;

Result<std::int64_t> count_of(const FormValues& form, const std::string& field,
                              std::int64_t minimum) {
  auto it = form.find(field);
  if (it == form.end() || it->second.empty())
    return deny(ErrorCode::kInvalidInput, "the fee needs field '" + field + "'");
  std::int64_t value = 0;
  const std::string& text = it->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < minimum || value > kMaxCount)
    return deny(ErrorCode::kInvalidInput, "field '" + field + "' must be a whole number from " +
                                              std::to_string(minimum) + " to " +
                                              std::to_string(kMaxCount) + ", not '" + text + "'");
  return value;
}

Result<std::int64_t> per_page_amount(const PerPageRate& rate, const FormValues& form) {
  auto pages = count_of(form, rate.pages_field, 0);
  if (!pages) return pages;
  std::int64_t copies = 1;
  if (!rate.copies_field.empty()) {
    auto c = count_of(form, rate.copies_field, 1);
    if (!c) return c;
    copies = *c;
  }
  const std::int64_t first = std::min<std::int64_t>(*pages, rate.first_pages);
  std::int64_t per_copy = first * rate.first_page_vnd + (*pages - first) * rate.page_vnd;
  if (rate.cap_vnd > 0) per_copy = std::min(per_copy, rate.cap_vnd);
  return per_copy * copies;
}

const FeeExemption* exemption_for(const Fee& fee, const FormValues& form) {
  for (const FeeExemption& e : fee.exemptions) {
    auto it = form.find(e.field);
    if (it != form.end() && it->second == e.value) return &e;
  }
  return nullptr;
}

}  // namespace

bool FeeQuote::known() const {
  for (const FeeLine& line : lines) {
    if (!line.amount_vnd) return false;
  }
  return true;
}

std::int64_t FeeQuote::known_total_vnd() const {
  std::int64_t total = 0;
  for (const FeeLine& line : lines) total += line.amount_vnd.value_or(0);
  return total;
}

Result<FeeQuote> Procedure::fee_for(const FormValues& form, Channel channel) const {
  FeeQuote quote;
  for (const Fee& fee : fees) {
    if (fee.channel && *fee.channel != channel) continue;
    FeeLine line{fee.id, std::nullopt, {}};
    if (const FeeExemption* e = exemption_for(fee, form)) {
      line.amount_vnd = 0;
      line.note = e->name;
    } else if (fee.kind == FeeKind::kUnknown) {
      line.note = fee.unknown;
    } else if (fee.kind == FeeKind::kPerPage) {
      auto amount = per_page_amount(fee.per_page, form);
      if (!amount) return tl::unexpected(amount.error());
      line.amount_vnd = *amount;
    } else {
      line.amount_vnd = fee.amount_vnd;
    }
    quote.lines.push_back(std::move(line));
  }
  return quote;
}

}  // namespace motcua::engine
