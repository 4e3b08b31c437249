package io.pgha.config;

/** A user name and its password. {@link #toString()} never shows the password. */
public record Credentials(String username, String password) {

    public Credentials {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("credentials need a user name and a password");
        }
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", password hidden]";
    }
}
