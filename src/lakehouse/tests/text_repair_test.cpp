// Double-encoded UTF-8: repaired only when unambiguous.
#include "lakehouse/text_repair.hpp"

#include <gtest/gtest.h>

namespace sl::lakehouse {
namespace {

TEST(TextRepair, RepairsUtf8ReadAsLatin1OrWindows1252) {
  EXPECT_EQ(repair_double_encoding("Ã©lodie"), "élodie");  // é = C3 A9 (Latin-1)
  EXPECT_EQ(repair_double_encoding("Ã‰lodie"), "Élodie");  // É = C3 89 (‰ = 0x89)
  EXPECT_EQ(repair_double_encoding("FranÃ§ois"), "François");
  EXPECT_EQ(repair_double_encoding("Lâ€™HÃ´pital"), "L’Hôpital");  // ’ = E2 80 99
  EXPECT_EQ(repair_double_encoding("Ã\u0081lvaro"), "Álvaro");     // 0x81: no 1252 glyph
}

TEST(TextRepair, LeavesCleanOrAmbiguousTextAlone) {
  EXPECT_EQ(repair_double_encoding("Élodie"), std::nullopt);  // É alone is no UTF-8 sequence
  EXPECT_EQ(repair_double_encoding("Dupont"), std::nullopt);  // ASCII: nothing to repair
  EXPECT_EQ(repair_double_encoding("Ã©va Ő"), std::nullopt);  // Ő was never one byte
  EXPECT_EQ(repair_double_encoding("Zoë"), std::nullopt);     // ë = EB: no UTF-8 lead
  EXPECT_EQ(repair_double_encoding("\xC3"), std::nullopt);    // not even UTF-8
  EXPECT_TRUE(looks_double_encoded("Ã©va Ő"));
  EXPECT_TRUE(looks_double_encoded("Lâ€™"));
  EXPECT_FALSE(looks_double_encoded("Élodie Ã"));
  EXPECT_FALSE(looks_double_encoded("Zoë"));
}

}  // namespace
}  // namespace sl::lakehouse
