package io.pgwarden.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Md5PasswordTest {

    // Expected values computed independently (Python hashlib); the first is the well-known
    // pg_authid entry for user "postgres" with password "postgres".

    @Test
    void storedHashIsMd5OfPasswordThenUser() {
        assertThat(Md5Password.encrypt("postgres", "postgres")).isEqualTo("md53175bce1d3201d16594cebf9d7eb3f9d");
    }

    @Test
    void responseHashesTheStoredHashWithTheSalt() {
        final byte[] salt = {1, 2, 3, 4};
        assertThat(Md5Password.saltedResponse("postgres", "postgres", salt)).isEqualTo("md568be9ed08db75f318087ab337aaea044");
        assertThat(Md5Password.saltedResponseFromStored("md53175bce1d3201d16594cebf9d7eb3f9d", salt))
            .isEqualTo("md568be9ed08db75f318087ab337aaea044");
    }

    @Test
    void nonAsciiUserAndPasswordAreHashedAsUtf8AndAnySaltByteWorks() {
        final byte[] salt = {(byte) 0xFF, 0x00, 0x7F, (byte) 0x80};
        assertThat(Md5Password.encrypt("jürgen", "pässwörd")).isEqualTo("md5e325c8e2288c2780dac1cbba097888d5");
        assertThat(Md5Password.saltedResponse("jürgen", "pässwörd", salt)).isEqualTo("md546e08a0b690b8c5c78df0401b4b4e6c7");
    }

    @Test
    void verifyAcceptsTheRightResponseOnly() {
        final String stored = Md5Password.encrypt("alice", "secret");
        final byte[] salt = {9, 8, 7, 6};
        assertThat(Md5Password.verify(stored, salt, Md5Password.saltedResponse("alice", "secret", salt))).isTrue();
        assertThat(Md5Password.verify(stored, salt, Md5Password.saltedResponse("alice", "Secret", salt))).isFalse();
        assertThat(Md5Password.verify(stored, new byte[] {9, 8, 7, 5}, Md5Password.saltedResponse("alice", "secret", salt))).isFalse();
    }

    @Test
    void rejectsWhatIsNotAnMd5HashOrA4ByteSalt() {
        assertThat(Md5Password.isMd5Hash("md53175bce1d3201d16594cebf9d7eb3f9d")).isTrue();
        assertThat(Md5Password.isMd5Hash("md53175BCE1d3201d16594cebf9d7eb3f9d")).isFalse();
        assertThat(Md5Password.isMd5Hash("SCRAM-SHA-256$4096:abc")).isFalse();
        assertThatThrownBy(() -> Md5Password.saltedResponseFromStored("plain", new byte[4]))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Md5Password.saltedResponse("u", "p", new byte[3]))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 bytes");
    }
}
