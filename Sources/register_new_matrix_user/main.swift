import Core
print("register_new_matrix_user")
