package io.pgwarden.admin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.pgwarden.config.Secret;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BearerAuthTest {

    private static final BearerAuth OPEN_READS = new BearerAuth(Optional.of(new Secret("tok3n")), false);
    private static final BearerAuth CLOSED_READS = new BearerAuth(Optional.of(new Secret("tok3n")), true);
    private static final BearerAuth NO_TOKEN = new BearerAuth(Optional.empty(), false);

    private static HttpHeaders authorization(String value) {
        HttpHeaders headers = new DefaultHttpHeaders();
        if (value != null) {
            headers.set("Authorization", value);
        }
        return headers;
    }

    private static ApiException refusal(BearerAuth auth, Access access, String header) {
        return catchThrowableOfType(ApiException.class, () -> auth.check(access, authorization(header)));
    }

    @Test
    void mutationsNeedTheToken() {
        assertThatCode(() -> OPEN_READS.check(Access.MUTATE, authorization("Bearer tok3n"))).doesNotThrowAnyException();
        assertThatCode(() -> OPEN_READS.check(Access.MUTATE, authorization("bearer  tok3n "))).doesNotThrowAnyException();
        ApiException missing = refusal(OPEN_READS, Access.MUTATE, null);
        assertThat(missing.status().code()).isEqualTo(401);
        assertThat(missing.headers()).containsEntry("www-authenticate", "Bearer realm=\"pgwarden\"");
        assertThat(refusal(OPEN_READS, Access.MUTATE, "Basic dXNlcjpwYXNz").status().code()).isEqualTo(401);
        assertThat(refusal(OPEN_READS, Access.MUTATE, "Bearer").status().code()).isEqualTo(401);
        ApiException wrong = refusal(OPEN_READS, Access.MUTATE, "Bearer tok3n-guess");
        assertThat(wrong.status().code()).isEqualTo(403);
        assertThat(wrong.detail()).doesNotContain("tok3n");
        assertThat(refusal(OPEN_READS, Access.MUTATE, "Bearer tok3").status().code()).isEqualTo(403);
    }

    @Test
    void readsAreOpenUnlessConfiguredOtherwise() {
        assertThatCode(() -> OPEN_READS.check(Access.READ, authorization(null))).doesNotThrowAnyException();
        assertThat(refusal(CLOSED_READS, Access.READ, null).status().code()).isEqualTo(401);
        assertThat(refusal(CLOSED_READS, Access.READ, "Bearer nope").status().code()).isEqualTo(403);
        assertThatCode(() -> CLOSED_READS.check(Access.READ, authorization("Bearer tok3n"))).doesNotThrowAnyException();
        assertThatCode(() -> CLOSED_READS.check(Access.OPEN, authorization(null))).doesNotThrowAnyException();
    }

    @Test
    void withoutAConfiguredTokenMutationsAreRefusedWithAHintForTheOperator() {
        ApiException refused = refusal(NO_TOKEN, Access.MUTATE, "Bearer anything");
        assertThat(refused.status().code()).isEqualTo(403);
        assertThat(refused.detail()).contains("pgwarden.admin.token").contains("PGWARDEN_ADMIN_TOKEN");
        assertThatCode(() -> NO_TOKEN.check(Access.READ, authorization(null))).doesNotThrowAnyException();
    }
}
